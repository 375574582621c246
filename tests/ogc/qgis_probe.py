"""Drive QGIS's OAPIF provider against a server and print what it saw, as JSON.

Run with the system Python (Debian ``python3-qgis``), not the project's venv:
``QT_QPA_PLATFORM=offscreen /usr/bin/python3 qgis_probe.py URL COLLECTION [key=value…]``.
Extra ``key=value`` arguments are added to the layer's data source (``username=…``,
``password=…``, ``pageSize=…``), except ``project_crs=EPSG:2154`` (features are asked for in
that CRS, as a project in Lambert-93 does), ``bbox=xmin,ymin,xmax,ymax`` (only the
features in that rectangle, in the project CRS) and ``edit=x,y`` with ``delete=title``
(QGIS 3.32+: in an edit session, add a feature titled « Ajout QGIS » at x,y in Lambert-93,
move the first feature there too, delete the one titled ``title``, commit).

The result always says QGIS's version and the provider's editing capabilities.
"""

import json
import os
import sys

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureRequest,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsVectorDataProvider,
    QgsVectorLayer,
)

CAPABILITIES = {
    "add": QgsVectorDataProvider.AddFeatures,
    "change_attributes": QgsVectorDataProvider.ChangeAttributeValues,
    "change_geometries": QgsVectorDataProvider.ChangeGeometries,
    "delete": QgsVectorDataProvider.DeleteFeatures,
}


def main() -> None:
    url, collection, *extra = sys.argv[1:]
    options = dict(arg.split("=", 1) for arg in extra)
    bbox = options.pop("bbox", None)
    project_crs = options.pop("project_crs", None)
    edit = options.pop("edit", None)
    delete = options.pop("delete", None)
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    uri = f"url='{url}' typename='{collection}' restrictToRequestBBOX='1'"
    uri += "".join(f" {key}='{value}'" for key, value in options.items())
    layer = QgsVectorLayer(uri, collection, "OAPIF")
    result = {"valid": layer.isValid(), "qgis_version": Qgis.QGIS_VERSION}
    if layer.isValid():
        capabilities = layer.dataProvider().capabilities()
        result["capabilities"] = [n for n, flag in CAPABILITIES.items() if capabilities & flag]
        if edit:
            result["edit"] = _edit(layer, [float(v) for v in edit.split(",")], delete)
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


def _edit(layer: QgsVectorLayer, lambert93: list[float], delete: str | None) -> dict:
    """Add a feature at ``lambert93``, move the first existing one there too, delete the one
    titled ``delete``; commit. Returns whether the commit succeeded and QGIS's errors."""
    to_layer = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:2154"), layer.crs(), QgsProject.instance()
    )
    point = to_layer.transform(QgsPointXY(*lambert93))
    existing = [f.id() for f in layer.getFeatures()]
    doomed = [f.id() for f in layer.getFeatures() if f["title"] == delete]
    layer.startEditing()
    added = QgsFeature(layer.fields())
    added["title"] = "Ajout QGIS"
    added.setGeometry(QgsGeometry.fromPointXY(point))
    layer.addFeature(added)
    if existing:
        layer.changeGeometry(existing[0], QgsGeometry.fromPointXY(point))
    for fid in doomed:
        layer.deleteFeature(fid)
    committed = layer.commitChanges()
    return {"committed": committed, "errors": layer.commitErrors()}


if __name__ == "__main__":
    main()
