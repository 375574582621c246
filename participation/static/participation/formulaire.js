/* The map of the public form: touch to place the point (or draw a line / surface point by
   point), « Me localiser » asks the browser. The typed coordinates and commune stay the
   keyboard alternative and work without this script. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var container = document.getElementById("carte-lieu");
  if (!container || !window.maplibregl || !window.spassMap) { return; }
  var kind = container.dataset.place;
  var lat = document.getElementById("champ-latitude");
  var lon = document.getElementById("champ-longitude");
  var drawn = document.getElementById("champ-geometrie");
  var status = document.getElementById("lieu-etat");
  container.hidden = false;
  document.querySelector(".carte-actions").hidden = false;
  var map = window.spassMap(container);
  if (container.dataset.bounds) {
    var b = container.dataset.bounds.split(",").map(Number);
    map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 10, duration: 0 });
  }
  var vertices = [];
  var marker = null;

  function say(text) { if (status) { status.textContent = text; } }

  function geometry() {
    if (kind === "point") {
      return vertices.length ? { type: "Point", coordinates: vertices[0] } : null;
    }
    if (kind === "ligne") {
      return vertices.length > 1 ? { type: "LineString", coordinates: vertices } : null;
    }
    return vertices.length > 2
      ? { type: "Polygon", coordinates: [vertices.concat([vertices[0]])] } : null;
  }

  function draw() {
    var g = geometry();
    var source = map.getSource("trace");
    var data = { type: "FeatureCollection", features: g ? [{ type: "Feature", geometry: g, properties: {} }] : [] };
    if (source) { source.setData(data); }
    if (kind !== "point") { drawn.value = g ? JSON.stringify(g) : ""; }
  }

  function placePoint(lngLat) {
    vertices = [[Number(lngLat.lng.toFixed(6)), Number(lngLat.lat.toFixed(6))]];
    if (lat && lon) { lat.value = vertices[0][1]; lon.value = vertices[0][0]; }
    if (!marker) { marker = new maplibregl.Marker({ color: "#b3261e" }); }
    marker.setLngLat(vertices[0]).addTo(map);
    say(container.dataset.placed);
  }

  map.on("load", function () {
    map.addSource("trace", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
    map.addLayer({ id: "trace-surface", type: "fill", source: "trace",
      filter: ["==", ["geometry-type"], "Polygon"], paint: { "fill-color": "#b3261e", "fill-opacity": 0.25 } });
    map.addLayer({ id: "trace-ligne", type: "line", source: "trace",
      paint: { "line-color": "#b3261e", "line-width": 3 } });
    if (lat && lon && lat.value && lon.value) {
      placePoint({ lng: parseFloat(lon.value.replace(",", ".")), lat: parseFloat(lat.value.replace(",", ".")) });
      map.jumpTo({ center: vertices[0], zoom: 13 });
    }
  });

  map.on("click", function (event) {
    if (kind === "point") { placePoint(event.lngLat); return; }
    vertices.push([Number(event.lngLat.lng.toFixed(6)), Number(event.lngLat.lat.toFixed(6))]);
    draw();
  });

  [lat, lon].forEach(function (input) {
    if (!input) { return; }
    input.addEventListener("change", function () {
      var y = parseFloat(lat.value.replace(",", ".")), x = parseFloat(lon.value.replace(",", "."));
      if (!isNaN(x) && !isNaN(y)) { placePoint({ lng: x, lat: y }); map.jumpTo({ center: [x, y], zoom: 13 }); }
    });
  });

  var locate = document.getElementById("me-localiser");
  if (!navigator.geolocation) { locate.hidden = true; return; }
  locate.addEventListener("click", function () {
    say(container.dataset.locating);
    navigator.geolocation.getCurrentPosition(function (position) {
      var here = { lng: position.coords.longitude, lat: position.coords.latitude };
      if (kind === "point") { placePoint(here); } else { vertices.push([here.lng, here.lat]); draw(); }
      map.jumpTo({ center: [here.lng, here.lat], zoom: 15 });
    }, function () { say(container.dataset.unavailable); },
    { enableHighAccuracy: true, timeout: 10000 });
  });
});
