/* Shared MapLibre set-up: an offline style whose only layer is the project's own
   département outlines (/geo/contours.geojson), centred on France. */
window.spassMap = function (container) {
  "use strict";
  var map = new maplibregl.Map({
    container: container,
    style: {
      version: 8,
      sources: { contours: { type: "geojson", data: container.dataset.outlines } },
      layers: [
        { id: "fond", type: "background", paint: { "background-color": "#eef1ec" } },
        { id: "contours", type: "line", source: "contours",
          paint: { "line-color": "#7b8494", "line-width": 1 } }
      ]
    },
    center: [2.5, 46.6],
    zoom: 4.6,
    attributionControl: false
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
  return map;
};

window.spassFit = function (map, geojson) {
  "use strict";
  var bounds = new maplibregl.LngLatBounds();
  var add = function (coords) {
    if (typeof coords[0] === "number") { bounds.extend(coords); } else { coords.forEach(add); }
  };
  var geometries = geojson.type === "FeatureCollection"
    ? geojson.features.map(function (f) { return f.geometry; }) : [geojson];
  geometries.forEach(function (g) { add(g.coordinates); });
  if (!bounds.isEmpty()) { map.fitBounds(bounds, { padding: 40, maxZoom: 14, duration: 0 }); }
};
