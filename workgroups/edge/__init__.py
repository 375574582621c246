"""The edge of every channel: what each machine channel (OGC API, tiles, exports, maps and
their feeds) and both WSGI fast paths share, written once.

- :mod:`.input` — hostile input (NUL bytes, invalid UTF-8, over-long values, NUL escapes in
  JSON bodies) refused with a 400 before any code reads it; Basic attempts over the limit
  answered 429 (:class:`InputEdge`, :class:`EdgeMiddleware`);
- :mod:`.person` — who asks (session, Token, Basic, ``?key=``) or 401; private caching;
- :mod:`.errors` — the one error body, ``{"code": …, "description": …}``;
- :mod:`.headers` — the headers Django's middleware adds, computed once from the settings,
  for the answers given outside that stack; the feeds' CORS middleware;
- :mod:`.fastpath` — the WSGI base class of the fast paths;
- :mod:`.memo` — the one memo of compiled SQL (bounded LRU);
- :mod:`.embed` — pages other sites frame, and their oEmbed answers.
"""

from .embed import framable, oembed_response, oembed_target
from .errors import error_response
from .fastpath import FastAnswer, FastPath
from .headers import FeedCorsMiddleware, middleware_headers
from .input import EdgeMiddleware, InputEdge, hostile_input
from .memo import Memo, person_key
from .person import (
    Person,
    Unauthorized,
    allow_any_origin,
    fast_person,
    feed_error,
    feed_response,
    mark_personal,
    person,
    person_or_401,
)

__all__ = [
    "EdgeMiddleware",
    "FastAnswer",
    "FastPath",
    "FeedCorsMiddleware",
    "InputEdge",
    "Memo",
    "Person",
    "Unauthorized",
    "allow_any_origin",
    "error_response",
    "fast_person",
    "feed_error",
    "feed_response",
    "framable",
    "hostile_input",
    "mark_personal",
    "middleware_headers",
    "oembed_response",
    "oembed_target",
    "person",
    "person_key",
    "person_or_401",
]
