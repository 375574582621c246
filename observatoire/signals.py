"""What writers of the resource table announce, so that readers keep their caches true.

Model signals (``post_save``, ``post_delete``) cover the writes made one resource at a time.
Bulk writers — imports, bulk moderation — write with set-based SQL and fire none of them; they
send :data:`resources_changed` once their transaction is done instead. Readers that keep
derived state (the anonymous tile cache) subscribe; writers never import the readers.
"""

from __future__ import annotations

from django.dispatch import Signal

#: Sent after a bulk write to ``observatoire_resource``, with ``bounds``: the lon/lat
#: rectangle ``(xmin, ymin, xmax, ymax)`` the written rows now cover, or ``None`` when the
#: change cannot be bounded (rows moved, unshared or deleted wherever they were).
resources_changed = Signal()
