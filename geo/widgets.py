"""Map widget for forms and the admin, with OpenLayers served by the project (no CDN)."""

from django.contrib.gis.forms.widgets import OSMWidget


class LocalMapWidget(OSMWidget):
    """OpenLayers editing widget whose script, styles and base layer all come from this site.

    The base layer is the French territories outline served by ``geo`` (no tile server on the
    internet is needed), centred on the Nord by default.
    """

    template_name = "gis/spass-openlayers.html"
    default_lon = 3.06
    default_lat = 50.63
    default_zoom = 8

    class Media:
        extend = False
        css = {"all": ("vendor/ol/ol.css", "gis/css/ol3.css")}
        js = ("vendor/ol/ol.js", "gis/js/OLMapWidget.js")
