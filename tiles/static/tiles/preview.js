// MapLibre map on a collection's TileJSON: clusters at low zoom, resources above.
// `window.spassMapIdle` resolves when the first render is complete (used by the tests).
(function () {
  "use strict";
  const el = document.getElementById("carte");
  const tilejson = new URL(el.dataset.tilejson, window.location.href).href;
  document.getElementById("tilejson-url").textContent = tilejson;
  const features = el.dataset.featuresLayer;
  const clusters = el.dataset.clustersLayer;
  const colors = [
    "match", ["get", "kind"],
    "marqueur", "#b5341b", "projet", "#1b6fb5", "realisation", "#2e8540", "action", "#8a4fb5",
    "#555555",
  ];
  const map = new maplibregl.Map({
    container: el,
    hash: true,
    style: {
      version: 8,
      sources: {
        outlines: { type: "geojson", data: new URL(el.dataset.outlines, window.location.href).href },
        spass: { type: "vector", url: tilejson },
      },
      layers: [
        { id: "fond", type: "background", paint: { "background-color": "#f4f1ea" } },
        { id: "contours", type: "line", source: "outlines", paint: { "line-color": "#9a9a9a", "line-width": 0.8 } },
        {
          id: "regroupements", type: "circle", source: "spass", "source-layer": clusters,
          paint: {
            "circle-color": colors,
            "circle-radius": ["interpolate", ["linear"], ["sqrt", ["get", "count"]], 1, 6, 30, 28],
            "circle-opacity": 0.8, "circle-stroke-color": "#ffffff", "circle-stroke-width": 1,
          },
        },
        {
          id: "regroupements-nombre", type: "symbol", source: "spass", "source-layer": clusters,
          filter: [">", ["get", "count"], 1],
          layout: { "text-field": ["to-string", ["get", "count"]], "text-size": 11 },
        },
        {
          id: "ressources-surfaces", type: "fill", source: "spass", "source-layer": features,
          filter: ["in", ["geometry-type"], ["literal", ["Polygon", "MultiPolygon"]]],
          paint: { "fill-color": colors, "fill-opacity": 0.35 },
        },
        {
          id: "ressources-lignes", type: "line", source: "spass", "source-layer": features,
          filter: ["in", ["geometry-type"], ["literal", ["LineString", "MultiLineString"]]],
          paint: { "line-color": colors, "line-width": 2 },
        },
        {
          id: "ressources", type: "circle", source: "spass", "source-layer": features,
          filter: ["in", ["geometry-type"], ["literal", ["Point", "MultiPoint"]]],
          paint: {
            "circle-color": colors, "circle-radius": 6,
            "circle-stroke-color": "#ffffff", "circle-stroke-width": 1.5,
          },
        },
      ],
    },
    center: [2.5, 46.6],
    zoom: 5,
  });
  map.addControl(new maplibregl.NavigationControl());
  window.spassMap = map;
  window.spassMapIdle = new Promise(function (resolve) { map.once("idle", resolve); });
})();
