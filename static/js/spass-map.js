/* Shared MapLibre set-up: the offline basemap of the project's own outline tiles
   (départements at every zoom, communes from zoom 8: /geo/tuiles/{z}/{x}/{y}.pbf, the layers
   of basemaps.services.OUTLINES_STYLE_LAYERS), centred on France, so that a point shown at
   zoom 14 still sits among its commune's limits. The tiles' address is the container's
   data-outline-tiles, else found beside its data-outlines (/geo/contours.geojson). */
window.spassMap = function (container) {
  "use strict";
  var tiles = container.dataset.outlineTiles ||
    container.dataset.outlines.replace(/contours\.geojson$/, "tuiles/{z}/{x}/{y}.pbf");
  var map = new maplibregl.Map({
    container: container,
    style: {
      version: 8,
      sources: { contours: { type: "vector", tiles: [new URL(tiles, document.baseURI).href.replace(/%7B/g, "{").replace(/%7D/g, "}")],
                             minzoom: 0, maxzoom: 12 } },
      layers: [
        { id: "fond", type: "background", paint: { "background-color": "#f4f1ea" } },
        { id: "departements-surface", type: "fill", source: "contours", "source-layer": "departements",
          paint: { "fill-color": "#ffffff", "fill-opacity": 0.8 } },
        { id: "communes-limites", type: "line", source: "contours", "source-layer": "communes",
          minzoom: 8, paint: { "line-color": "#b9b3a5", "line-width": 0.7 } },
        { id: "contours", type: "line", source: "contours", "source-layer": "departements",
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
