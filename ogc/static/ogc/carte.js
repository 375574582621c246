/* Map of an OGC API items or item page: MapLibre GL (served by the site) on the site's
   basemap style, drawing the page's own GeoJSON (its f=json twin, same parameters). */
(function () {
  "use strict";
  var container = document.getElementById("ogc-carte");
  var config = JSON.parse(document.getElementById("ogc-carte-config").textContent);
  if (!container || !window.maplibregl) { return; }
  var absolute = function (url) { return new URL(url, window.location.href).href; };
  /* A tile URL template made absolute, its {z}/{x}/{y} left as MapLibre expects them. */
  var template = function (url) {
    return absolute(url).replace(/%7B/gi, "{").replace(/%7D/gi, "}");
  };
  Object.keys(config.style.sources).forEach(function (name) {
    var source = config.style.sources[name];
    if (typeof source.data === "string") { source.data = absolute(source.data); }
    if (source.tiles) { source.tiles = source.tiles.map(template); }
  });
  var map = new maplibregl.Map({
    container: container, style: config.style, center: [2.5, 46.6], zoom: 4.6,
    attributionControl: { compact: true }
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");

  function fit(geojson) {
    var bounds = new maplibregl.LngLatBounds();
    var add = function (coords) {
      if (typeof coords[0] === "number") { bounds.extend(coords); } else { coords.forEach(add); }
    };
    var features = geojson.type === "FeatureCollection" ? geojson.features : [geojson];
    features.forEach(function (f) { if (f.geometry) { add(f.geometry.coordinates); } });
    if (!bounds.isEmpty()) { map.fitBounds(bounds, { padding: 40, maxZoom: 11, duration: 0 }); }
  }

  map.on("load", function () {
    fetch(absolute(config.data), { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
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
        fit(geojson);
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
