"""The icons a marker layer may wear instead of the round marker: a choice of Maki's icons for
web cartography (CC0), made for a CAUE's contents (heritage, public buildings, landscape).

This list is the one place that names them: the model's and the API's choices, the editor's
select, the viewer's images and the ``.umap`` export read it, and ``bin/vendor-assets`` copies
these SVGs, and only these, from the npm package into ``static/vendor/maki/`` (run
``python -m layers.icons`` to list them), so the project serves them itself.

An icon draws where a layer draws each object as a marker (``Layer.ICON_STYLES``: markers,
categories, clusters' single objects); a heat map and proportional circles keep their drawing.
"""

from __future__ import annotations

from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

#: Maki's name → what the editor calls it, in the order of its select.
ICONS = {
    "monument": _("Monument"),
    "landmark": _("Patrimoine, lieu remarquable"),
    "castle": _("Château"),
    "religious-christian": _("Édifice religieux"),
    "cemetery": _("Cimetière"),
    "town-hall": _("Mairie"),
    "museum": _("Musée"),
    "library": _("Bibliothèque"),
    "theatre": _("Théâtre, salle de spectacle"),
    "school": _("École"),
    "college": _("Enseignement supérieur"),
    "building": _("Bâtiment"),
    "home": _("Maison, logement"),
    "residential-community": _("Quartier, ensemble d'habitat"),
    "construction": _("Chantier, projet"),
    "industry": _("Industrie"),
    "bridge": _("Pont, ouvrage d'art"),
    "farm": _("Ferme, patrimoine rural"),
    "garden": _("Jardin"),
    "park": _("Parc, espace vert"),
    "natural": _("Site naturel, paysage"),
    "water": _("Eau, rivière"),
    "viewpoint": _("Point de vue"),
    "information": _("Information"),
    "star": _("Étoile"),
    "marker": _("Repère"),
}
ICON_CHOICES = list(ICONS.items())
#: What the editor and the API say of the choice.
ICON_HELP = _(
    "Pour les marqueurs, catégories et regroupements : l'icône, servie par le site, remplace le "
    "point rond et prend sa couleur ; vide : le point rond."
)
#: Where the static files live below ``STATIC_URL`` (``bin/vendor-assets`` writes them).
ICON_FOLDER = "vendor/maki"


def icon_url(name: str) -> str:
    """The icon's address on this site (relative: prefix it for a document read elsewhere)."""
    return static(f"{ICON_FOLDER}/{name}.svg")


if __name__ == "__main__":  # the list bin/vendor-assets copies
    print("\n".join(ICONS))
