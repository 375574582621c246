"""Drive QGIS's OAPIF provider against a server and print what it saw, as JSON.

Run with the system Python (Debian ``python3-qgis``), not the project's venv:
``QT_QPA_PLATFORM=offscreen /usr/bin/python3 qgis_probe.py URL COLLECTION [key=value…]``.
Extra ``key=value`` arguments are added to the layer's data source (``username=…``,
``password=…``, ``pageSize=…``), except ``project_crs=EPSG:2154`` (features are asked for in
that CRS, as a project in Lambert-93 does) and ``bbox=xmin,ymin,xmax,ymax`` (only the
features in that rectangle, in the project CRS).
"""

import json
import os
import sys

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsFeatureRequest,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)


def main() -> None:
    url, collection, *extra = sys.argv[1:]
    options = dict(arg.split("=", 1) for arg in extra)
    bbox = options.pop("bbox", None)
    project_crs = options.pop("project_crs", None)
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    uri = f"url='{url}' typename='{collection}' restrictToRequestBBOX='1'"
    uri += "".join(f" {key}='{value}'" for key, value in options.items())
    layer = QgsVectorLayer(uri, collection, "OAPIF")
    result = {"valid": layer.isValid()}
    if layer.isValid():
        request = QgsFeatureRequest()
        if project_crs:
            request.setDestinationCrs(
                QgsCoordinateReferenceSystem(project_crs), QgsProject.instance().transformContext()
            )
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
    print(json.dumps(result), flush=True)
    # QGIS 3.22 may crash while tearing down from Python: leave without teardown
    os._exit(0)


if __name__ == "__main__":
    main()
