"""Render our XYZ tiles with QGIS's QgsVectorTileLayer (run by Debian's python3, which has
the ``qgis`` bindings): ``qgis_render.py URL XMIN YMIN XMAX YMAX OUT.png`` (EPSG:3857).
Prints a JSON line: layer validity and the red pixels drawn, by column third."""

import json
import sys

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsDataSourceUri,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsMarkerSymbol,
    QgsRectangle,
    QgsVectorTileBasicRenderer,
    QgsVectorTileBasicRendererStyle,
    QgsVectorTileLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

SIZE = 300


def main() -> None:
    url, out = sys.argv[1], sys.argv[6]
    xmin, ymin, xmax, ymax = (float(v) for v in sys.argv[2:6])
    app = QgsApplication([], False)
    app.initQgis()
    uri = QgsDataSourceUri()
    uri.setParam("type", "xyz")
    uri.setParam("url", url)
    uri.setParam("zmin", "0")
    uri.setParam("zmax", "14")
    layer = QgsVectorTileLayer(bytes(uri.encodedUri()).decode(), "spass")
    style = QgsVectorTileBasicRendererStyle("ressources", "resources", QgsWkbTypes.PointGeometry)
    style.setSymbol(
        QgsMarkerSymbol.createSimple({"color": "255,0,0", "size": "4", "outline_style": "no"})
    )
    renderer = QgsVectorTileBasicRenderer()
    renderer.setStyles([style])
    layer.setRenderer(renderer)
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    settings.setOutputSize(QSize(SIZE, SIZE))
    settings.setExtent(QgsRectangle(xmin, ymin, xmax, ymax))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    image.save(out)
    red = [0, 0, 0]
    for px in range(SIZE):
        for py in range(SIZE):
            color = QColor(image.pixel(px, py))
            if color.red() > 200 and color.green() < 80 and color.blue() < 80:
                red[px * 3 // SIZE] += 1
    print(json.dumps({"valid": layer.isValid(), "red_by_third": red}))
    app.exitQgis()


if __name__ == "__main__":
    main()
