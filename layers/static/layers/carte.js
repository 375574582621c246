/* Viewer of a dynamic map: MapLibre GL on our tiles (or GeoJSON), legend and list in the page.
   The filter lives in the URL (?filter=<CQL2>), composed by the server from the panel. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("carte-config").textContent);
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
    container: "carte", style: config.style, center: config.center, zoom: config.zoom,
    attributionControl: { compact: true }
  });
  map.addControl(new maplibregl.NavigationControl(), "top-right");
  map.keyboard.enable();
  window.spassCarte = map;

  function colorExpression(layer) {
    var property = layer.source.props[layer.category] || layer.source.props.kind;
    var expression = ["match", ["get", property]];
    layer.legend.forEach(function (entry) {
      if (entry.value) { expression.push(entry.value, entry.color); }
    });
    return expression.length > 2 ? expression.concat([layer.color]) : layer.color;
  }

  /* The layer's source; returns the style fragment that points at its features. */
  function sourceOf(layer) {
    var spec;
    if (layer.source.type === "vector") {
      spec = { type: "vector", url: absolute(layer.source.url) };
    } else {
      /* inline features (a portal's events) or the GeoJSON download of the layer */
      spec = { type: "geojson", data: layer.source.data || absolute(layer.source.url) };
      if (layer.style === "clusters") {
        spec.cluster = true; spec.clusterRadius = 50; spec.clusterMaxZoom = 13;
      }
    }
    map.addSource(layer.id, spec);
    var base = { source: layer.id };
    if (layer.source.type === "vector") { base["source-layer"] = layer.source.layer; }
    return base;
  }

  function add(base, spec) { map.addLayer(Object.assign({}, base, spec)); return spec.id; }

  function addLayer(layer) {
    var vector = layer.source.type === "vector";
    var features = sourceOf(layer);
    var clusters = vector
      ? { source: layer.id, "source-layer": layer.source.clusterLayer } : features;
    var count = layer.source.props.count;
    var ids = [];
    if (layer.style === "heatmap") {
      add(features, { id: layer.id + "-chaleur", type: "heatmap",
        paint: { "heatmap-radius": 18, "heatmap-opacity": 0.8 } });
      if (vector) {
        add(clusters, { id: layer.id + "-chaleur-groupes", type: "heatmap",
          paint: { "heatmap-radius": 24, "heatmap-opacity": 0.8,
            "heatmap-weight": ["interpolate", ["linear"], ["get", count], 1, 0.3, 50, 1] } });
      }
      return;
    }
    if (vector || layer.style === "clusters") {
      ids.push(add(clusters, { id: layer.id + "-groupes", type: "circle",
        filter: ["has", count],
        paint: { "circle-color": layer.style === "clusters" ? layer.color : colorExpression(layer),
          "circle-opacity": 0.75, "circle-stroke-color": "#ffffff", "circle-stroke-width": 2,
          "circle-radius": ["interpolate", ["linear"], ["get", count], 1, 7, 100, 28] } }));
    }
    var single = vector || layer.style !== "clusters" ? true : ["!", ["has", count]];
    ids.push(add(features, { id: layer.id + "-surfaces", type: "fill",
      filter: ["all", single, ["==", ["geometry-type"], "Polygon"]],
      paint: { "fill-color": colorExpression(layer), "fill-opacity": 0.4 } }));
    ids.push(add(features, { id: layer.id + "-lignes", type: "line",
      filter: ["all", single, ["==", ["geometry-type"], "LineString"]],
      paint: { "line-color": colorExpression(layer), "line-width": 3 } }));
    ids.push(add(features, { id: layer.id + "-points", type: "circle",
      filter: ["all", single, ["==", ["geometry-type"], "Point"]],
      paint: { "circle-color": colorExpression(layer), "circle-radius": 6,
        "circle-stroke-color": "#ffffff", "circle-stroke-width": 1.5 } }));
    ids.forEach(function (id) {
      map.on("click", id, function (event) { onClick(layer, event); });
      map.on("mouseenter", id, function () { map.getCanvas().style.cursor = "pointer"; });
      map.on("mouseleave", id, function () { map.getCanvas().style.cursor = ""; });
    });
  }

  function popup(lngLat, title, url) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = url; link.textContent = title;
    box.appendChild(link);
    return new maplibregl.Popup({ closeButton: true }).setLngLat(lngLat).setDOMContent(box)
      .addTo(map);
  }

  function onClick(layer, event) {
    var feature = event.features[0];
    var props = feature.properties;
    var count = layer.source.props.count;
    if (props[count] !== undefined && props[count] !== null) {
      map.easeTo({ center: event.lngLat, zoom: map.getZoom() + 2 });
      return;
    }
    var id = props[layer.source.props.id] || feature.id;
    var url = layer.source.props.url ? props[layer.source.props.url] : "/ressources/" + id + "/";
    popup(event.lngLat, props[layer.source.props.title], url);
  }

  map.on("load", function () {
    config.layers.forEach(addLayer);
    document.getElementById("carte").setAttribute("data-chargee", "1");
  });

  document.querySelectorAll("#liste button.localiser").forEach(function (button) {
    button.addEventListener("click", function () {
      var lngLat = [parseFloat(button.dataset.lon), parseFloat(button.dataset.lat)];
      map.jumpTo({ center: lngLat, zoom: Math.max(map.getZoom(), 14) });
      popup(lngLat, button.dataset.title, button.dataset.url);
      document.getElementById("carte").focus();
    });
  });
})();
