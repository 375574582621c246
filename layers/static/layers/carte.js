/* Dynamic maps in MapLibre GL on our tiles (or GeoJSON): the viewer (legend and list in the
   page, the filter in the URL as ?filter=<CQL2>) and the editor's live preview share the
   drawing code, window.SpassCarte.{create, draw, clear}. */
(function () {
  "use strict";
  var absolute = function (url) { return new URL(url, window.location.href).href; };
  /* A tile URL template made absolute, its {z}/{x}/{y} left as MapLibre expects them. */
  var template = function (url) {
    return absolute(url).replace(/%7B/gi, "{").replace(/%7D/gi, "}");
  };

  function absoluteStyle(style) {
    Object.keys(style.sources).forEach(function (name) {
      var source = style.sources[name];
      if (typeof source.data === "string") { source.data = absolute(source.data); }
      if (source.tiles) { source.tiles = source.tiles.map(template); }
    });
    /* Labels need glyphs: the project serves DejaVu Sans SDF ranges (layers/views_glyphs.py). */
    if (!style.glyphs) { style.glyphs = template("/glyphs/{fontstack}/{range}.pbf"); }
    return style;
  }

  function colorExpression(layer) {
    var property = layer.source.props[layer.category] || layer.source.props.kind;
    var expression = ["match", ["get", property]];
    layer.legend.forEach(function (entry) {
      if (entry.value) { expression.push(entry.value, entry.color); }
    });
    return expression.length > 2 ? expression.concat([layer.color]) : layer.color;
  }

  /* A layer's icon (layers/icons.py, served by the project) as a MapLibre image. MapLibre's
     loadImage reads no SVG, so an Image() draws it at twice the screen's pixel ratio, and the
     map takes it as an SDF: "icon-color" then colours it by kind or attribute as the circles
     are coloured. Until the SVG is drawn a blank image of the same name stands in, so that no
     layer ever asks for a missing image; a style set anew (the editor's basemap) loses its
     images and gets them back at the next draw, from the ones already drawn. */
  var icons = {};
  function iconImage(map, layer) {
    var size = Math.max(16, Math.round((layer.radius || 6) * 3.5));
    var ratio = 2 * Math.ceil(window.devicePixelRatio || 1);
    var px = Math.round(size * ratio);
    var name = "spass-icone-" + layer.icon.name + "-" + px;
    var entry = icons[name];
    if (map.hasImage(name)) { return { name: name, size: size }; }
    if (entry && entry.image) {
      map.addImage(name, entry.image, { sdf: true, pixelRatio: ratio });
      return { name: name, size: size };
    }
    map.addImage(name, { width: 1, height: 1, data: new Uint8Array(4) }, { sdf: true });
    if (!entry) {
      entry = icons[name] = { image: null, maps: [] };
      var image = new Image(px, px);
      image.onload = function () {
        entry.image = image;
        entry.maps.forEach(function (other) {
          if (!other.hasImage(name)) { return; }
          other.removeImage(name);
          other.addImage(name, image, { sdf: true, pixelRatio: ratio });
        });
        entry.maps = [];
      };
      image.src = absolute(layer.icon.url);
    }
    if (entry.maps.indexOf(map) < 0) { entry.maps.push(map); }
    return { name: name, size: size };
  }

  function popup(map, lngLat, title, url, lines) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = url; link.textContent = title;
    box.appendChild(link);
    (lines || []).forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      box.appendChild(p);
    });
    return new maplibregl.Popup({ closeButton: true }).setLngLat(lngLat).setDOMContent(box)
      .addTo(map);
  }

  function onClick(map, layer, event) {
    var feature = event.features[0];
    var props = feature.properties;
    var count = layer.source.props.count;
    if (props[count] !== undefined && props[count] !== null) {
      map.easeTo({ center: event.lngLat, zoom: map.getZoom() + 2 });
      return;
    }
    var id = props[layer.source.props.id] || feature.id;
    var url = layer.source.props.url ? props[layer.source.props.url] : "/ressources/" + id + "/";
    var lines = (layer.popup || []).map(function (entry) {
      var value = props[layer.source.props[entry.field] || entry.field];
      return value === undefined || value === null || value === ""
        ? null : entry.label + " : " + value;
    }).filter(Boolean);
    popup(map, event.lngLat, props[layer.source.props.title], url, lines);
  }

  /* The layer's source; returns the style fragment that points at its features. */
  function sourceOf(map, layer) {
    var spec;
    if (layer.source.type === "vector") {
      spec = { type: "vector", url: absolute(layer.source.url) };
    } else {
      /* inline features (a portal's events) or the GeoJSON download of the layer */
      spec = { type: "geojson", data: layer.source.data || absolute(layer.source.url) };
      if (layer.style === "clusters" || layer.style === "circles") {
        spec.cluster = true; spec.clusterRadius = 50; spec.clusterMaxZoom = 13;
      }
    }
    map.addSource(layer.id, spec);
    var base = { source: layer.id };
    if (layer.source.type === "vector") { base["source-layer"] = layer.source.layer; }
    return base;
  }

  function addLayer(map, layer) {
    var add = function (base, spec) { map.addLayer(Object.assign({}, base, spec)); return spec.id; };
    var vector = layer.source.type === "vector";
    var features = sourceOf(map, layer);
    var clusters = vector
      ? { source: layer.id, "source-layer": layer.source.clusterLayer } : features;
    var count = layer.source.props.count;
    var radius = layer.radius || 6;
    var opacity = layer.opacity || 0.8;
    var stroke = layer.strokeWidth === undefined ? 2 : layer.strokeWidth;
    var grouped = layer.style === "clusters" || layer.style === "circles";
    var ids = [];
    if (layer.style === "heatmap") {
      add(features, { id: layer.id + "-chaleur", type: "heatmap",
        paint: { "heatmap-radius": radius * 3, "heatmap-opacity": opacity } });
      if (vector) {
        add(clusters, { id: layer.id + "-chaleur-groupes", type: "heatmap",
          paint: { "heatmap-radius": radius * 4, "heatmap-opacity": opacity,
            "heatmap-weight": ["interpolate", ["linear"], ["get", count], 1, 0.3, 50, 1] } });
      }
      return;
    }
    if (vector || grouped) {
      /* proportional circles: the area grows with the number of objects (sqrt of the count) */
      var size = layer.style === "circles"
        ? ["*", radius, ["sqrt", ["get", count]]]
        : ["interpolate", ["linear"], ["get", count], 1, radius + 1, 100, radius * 4 + 4];
      ids.push(add(clusters, { id: layer.id + "-groupes", type: "circle",
        filter: ["has", count],
        paint: { "circle-color": grouped ? layer.color : colorExpression(layer),
          "circle-opacity": layer.style === "circles" ? opacity * 0.7 : 0.75,
          "circle-stroke-color": "#ffffff", "circle-stroke-width": 2, "circle-radius": size } }));
    }
    var single = vector || !grouped ? true : ["!", ["has", count]];
    ids.push(add(features, { id: layer.id + "-surfaces", type: "fill",
      filter: ["all", single, ["==", ["geometry-type"], "Polygon"]],
      paint: { "fill-color": colorExpression(layer), "fill-opacity": opacity * 0.5 } }));
    ids.push(add(features, { id: layer.id + "-lignes", type: "line",
      filter: ["all", single, ["any", ["==", ["geometry-type"], "LineString"],
        ["==", ["geometry-type"], "Polygon"]]],
      paint: { "line-color": colorExpression(layer), "line-width": stroke } }));
    var points = ["all", single, ["==", ["geometry-type"], "Point"]];
    if (layer.icon) {
      /* the icon, coloured as the circle would be, on a white disc ringed with the same colour
         that keeps it readable on any basemap */
      var icon = iconImage(map, layer);
      ids.push(add(features, { id: layer.id + "-icones-fond", type: "circle", filter: points,
        paint: { "circle-color": "#ffffff", "circle-radius": icon.size / 2 + 3,
          "circle-opacity": Math.min(1, opacity + 0.1), "circle-stroke-color": colorExpression(layer),
          "circle-stroke-width": 1.5 } }));
      ids.push(add(features, { id: layer.id + "-icones", type: "symbol", filter: points,
        layout: { "icon-image": icon.name, "icon-allow-overlap": true,
          "icon-ignore-placement": true },
        paint: { "icon-color": colorExpression(layer), "icon-opacity": opacity } }));
    } else {
      ids.push(add(features, { id: layer.id + "-points", type: "circle", filter: points,
        paint: { "circle-color": colorExpression(layer), "circle-radius": radius,
          "circle-opacity": opacity, "circle-stroke-color": "#ffffff",
          "circle-stroke-width": 1.5 } }));
    }
    if (layer.label) {
      /* labels from the project's glyphs (layers/views_glyphs.py); a cluster has no title */
      add(features, { id: layer.id + "-etiquettes", type: "symbol", minzoom: 11,
        filter: ["all", single, ["has", layer.source.props[layer.label]]],
        layout: { "text-field": ["to-string", ["get", layer.source.props[layer.label]]],
          "text-font": ["DejaVu Sans"], "text-size": 12, "text-max-width": 10,
          "text-anchor": "top", "text-offset": [0, 0.9], "text-optional": true },
        paint: { "text-color": "#1f2328", "text-halo-color": "#ffffff", "text-halo-width": 1.5 } });
    }
    ids.forEach(function (id) {
      map.on("click", id, function (event) { onClick(map, layer, event); });
      map.on("mouseenter", id, function () { map.getCanvas().style.cursor = "pointer"; });
      map.on("mouseleave", id, function () { map.getCanvas().style.cursor = ""; });
    });
  }

  /* Remove what draw() added (the editor redraws its preview on every change). */
  function clear(map) {
    map.getStyle().layers.forEach(function (layer) {
      if (layer.id.indexOf("couche-") === 0) { map.removeLayer(layer.id); }
    });
    Object.keys(map.getStyle().sources).forEach(function (name) {
      if (name.indexOf("couche-") === 0) { map.removeSource(name); }
    });
  }

  function draw(map, layers) { layers.forEach(function (layer) { addLayer(map, layer); }); }

  /* A map's initial view: its extent (west, south, east, north) fitted to whatever screen
     shows it, else its centre and zoom. */
  function create(container, config) {
    var options = {
      container: container, style: absoluteStyle(config.style), center: config.center,
      zoom: config.zoom, attributionControl: { compact: true }
    };
    if (config.extent) {
      var e = config.extent;
      options.bounds = [[e[0], e[1]], [e[2], e[3]]];
      options.fitBoundsOptions = { padding: 10 };
    }
    var map = new maplibregl.Map(options);
    map.addControl(new maplibregl.NavigationControl(), "top-right");
    map.keyboard.enable();
    return map;
  }

  window.SpassCarte = { create: create, draw: draw, clear: clear, absoluteStyle: absoluteStyle };

  /* The viewer: a page with #carte and its configuration in #carte-config. */
  var configNode = document.getElementById("carte-config");
  if (!configNode || !document.getElementById("carte")) { return; }
  var config = JSON.parse(configNode.textContent);
  var map = create("carte", config);
  window.spassCarte = map;
  map.on("load", function () {
    draw(map, config.layers);
    document.getElementById("carte").setAttribute("data-chargee", "1");
  });

  document.querySelectorAll("#liste button.localiser").forEach(function (button) {
    button.addEventListener("click", function () {
      var lngLat = [parseFloat(button.dataset.lon), parseFloat(button.dataset.lat)];
      map.jumpTo({ center: lngLat, zoom: Math.max(map.getZoom(), 14) });
      popup(map, lngLat, button.dataset.title, button.dataset.url);
      document.getElementById("carte").focus();
    });
  });
})();
