"""Drive QGIS's OAPIF provider against a server and print what it saw, as JSON.

Run with the system Python (Debian ``python3-qgis``), not the project's venv:
``QT_QPA_PLATFORM=offscreen /usr/bin/python3 qgis_probe.py URL COLLECTION [key=value…]``.
Extra ``key=value`` arguments are added to the layer's data source (``srsname=EPSG:2154``,
``username=…``, ``password=…``, ``pageSize=…``); ``bbox=xmin,ymin,xmax,ymax`` asks for the
features in that rectangle (in the layer's CRS).
"""

import json
import sys

from qgis.core import QgsApplication, QgsFeatureRequest, QgsRectangle, QgsVectorLayer


def main() -> None:
    url, collection, *extra = sys.argv[1:]
    options = dict(arg.split("=", 1) for arg in extra)
    bbox = options.pop("bbox", None)
    app = QgsApplication([], False)
    app.initQgis()
    uri = f"url='{url}' typename='{collection}' restrictToRequestBBOX='1'"
    uri += "".join(f" {key}='{value}'" for key, value in options.items())
    layer = QgsVectorLayer(uri, collection, "OAPIF")
    result = {"valid": layer.isValid(), "error": layer.error().summary()}
    if layer.isValid():
        request = QgsFeatureRequest()
        if bbox:
            request.setFilterRect(QgsRectangle(*map(float, bbox.split(","))))
        features = list(layer.getFeatures(request))
        result.update(
            crs=layer.crs().authid(),
            feature_count=layer.featureCount(),
            fields=[f.name() for f in layer.fields()],
            titles=[f["title"] for f in features],
            points=[[f.geometry().asPoint().x(), f.geometry().asPoint().y()] for f in features],
        )
    print(json.dumps(result))
    app.exitQgis()


if __name__ == "__main__":
    main()
