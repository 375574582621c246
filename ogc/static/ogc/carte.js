/* Map of an OGC API items or item page: MapLibre GL (served by the site) on the site's
   basemap style (its URLs made absolute by the server), drawing the page's own GeoJSON
   (its f=json twin, same parameters). */
(function () {
  "use strict";
  var container = document.getElementById("ogc-carte");
  var config = JSON.parse(document.getElementById("ogc-carte-config").textContent);
  if (!container || !window.maplibregl) { return; }
  var map = new maplibregl.Map({
    container: container, style: config.style, center: [2.5, 46.6], zoom: 4.6,
    attributionControl: { compact: true }
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");

  map.on("load", function () {
    fetch(config.data, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.json(); })
      .then(function (geojson) {
        map.addSource("objets", { type: "geojson", data: geojson });
        map.addLayer({ id: "surfaces", type: "fill", source: "objets",
          filter: ["==", ["geometry-type"], "Polygon"],
          paint: { "fill-color": "#b3261e", "fill-opacity": 0.25 } });
        map.addLayer({ id: "traits", type: "line", source: "objets",
          filter: ["!=", ["geometry-type"], "Point"],
          paint: { "line-color": "#b3261e", "line-width": 3 } });
        map.addLayer({ id: "points", type: "circle", source: "objets",
          filter: ["==", ["geometry-type"], "Point"],
          paint: { "circle-color": "#b3261e", "circle-radius": 6,
                   "circle-stroke-color": "#ffffff", "circle-stroke-width": 2 } });
        window.spassFit(map, geojson.type === "Feature" ? geojson.geometry : geojson);
        if (map.getZoom() > 11) { map.setZoom(11); }  /* a lone point keeps its surroundings */
        container.dataset.objets = String(geojson.features ? geojson.features.length : 1);
      });
  });
  ["points", "surfaces", "traits"].forEach(function (layer) {
    map.on("click", layer, function (event) {
      var feature = event.features[0];
      var link = document.querySelector('a[data-objet="' + feature.id + '"]');
      if (link) { link.focus(); }
    });
  });
}());
