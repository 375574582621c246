/* The map editor: a live preview (MapLibre, our vector tiles) beside the form. Every change
   posts the form to /cartes/apercu/, which composes each layer's CQL2 from its panel (or reads
   the panel back from the typed text), validates it with the French error on its field, and
   answers the preview's configuration and first objects. The form works without this script:
   the server applies the same rules when it is submitted. */
(function () {
  "use strict";
  var form = document.getElementById("editeur");
  if (!form || !window.SpassCarte) { return; }
  var PANEL = ["groups", "themes", "date_from", "date_to", "territory", "text", "heritage",
    "advanced"];
  var kindsOfBase = JSON.parse(document.getElementById("types-par-base").textContent);
  var config = JSON.parse(document.getElementById("apercu-config").textContent);
  /* the page's French (or translated) words, from the server's catalogue */
  var words = JSON.parse(document.getElementById("editeur-textes").textContent);
  var container = document.getElementById("carte-apercu");
  var state = document.getElementById("apercu-etat");
  /* the basemap's style as the server wrote it (create() makes its URLs absolute) */
  var styleKey = JSON.stringify(config.style);
  var map = window.SpassCarte.create(container, config);
  var lastLayers = [];
  var timer = null;
  var sequence = 0;
  window.spassApercu = map;
  document.querySelectorAll(".js-seulement").forEach(function (n) { n.hidden = false; });

  function field(prefix, name) { return form.elements[prefix + "-" + name]; }
  function byId(id) { return document.getElementById(id); }

  /* The kinds offered are those of the layer's base. */
  function showKinds(layer) {
    var prefix = layer.dataset.prefix;
    var base = field(prefix, "base").value;
    var allowed = kindsOfBase[base] || [];
    layer.querySelectorAll('input[name="' + prefix + '-kinds"]').forEach(function (box) {
      var wrapper = box.closest("div") || box.parentNode;
      var keep = allowed.indexOf(box.value) >= 0;
      wrapper.hidden = !keep;
      if (!keep) { box.checked = false; }
    });
  }

  /* The icon applies where each object is drawn as a marker: its field shows for those
     representations only, with the chosen icon beside the select (decorative: the select
     names it). */
  var ICON_STYLES = ["markers", "categories", "clusters"];
  function showIcon(layer) {
    var prefix = layer.dataset.prefix;
    var select = field(prefix, "icon");
    if (!select) { return; }
    var wrapper = select.closest(".champ");
    wrapper.hidden = ICON_STYLES.indexOf(field(prefix, "representation").value) < 0;
    var preview = wrapper.querySelector(".icone-apercu");
    if (!preview) {
      var row = document.createElement("div");
      row.className = "avec-icone";
      select.parentNode.insertBefore(row, select);
      row.appendChild(select);
      preview = document.createElement("span");
      preview.className = "icone-apercu";
      preview.setAttribute("aria-hidden", "true");
      row.appendChild(preview);
    }
    var option = select.options[select.selectedIndex];
    var url = option ? option.getAttribute("data-icone") : "";
    preview.hidden = !url;
    if (url) { preview.style.setProperty("--icone", 'url("' + url + '")'); }
  }

  function setError(id, messages) {
    var input = byId(id);
    var paragraph = byId(id + "_error");
    if (!paragraph) { return; }
    paragraph.textContent = messages.join(" ");
    paragraph.hidden = messages.length === 0;
    if (!input) { return; }
    var described = (input.getAttribute("aria-describedby") || "").split(" ")
      .filter(function (x) { return x && x !== id + "_error"; });
    if (messages.length) {
      input.setAttribute("aria-invalid", "true");
      described.push(id + "_error");
    } else {
      input.removeAttribute("aria-invalid");
    }
    if (described.length) { input.setAttribute("aria-describedby", described.join(" ")); }
    else { input.removeAttribute("aria-describedby"); }
  }

  function setValue(input, value) {
    if (!input || input === document.activeElement) { return; }
    if (input.multiple) {
      Array.prototype.forEach.call(input.options, function (o) {
        o.selected = (value || []).indexOf(o.value) >= 0;
      });
    } else {
      var text = value === null || value === undefined ? "" : String(value);
      if (input.value !== text) { input.value = text; }
    }
  }

  function applyLayer(answer) {
    var layer = byId(answer.prefix);
    if (!layer) { return; }
    layer.querySelectorAll(".erreur[id$='_error']").forEach(function (p) {
      setError(p.id.replace(/_error$/, ""), []);
    });
    Object.keys(answer.errors).forEach(function (id) { setError(id, answer.errors[id]); });
    if (answer.cql === undefined) { return; }
    setValue(field(answer.prefix, "cql"), answer.cql);
    field(answer.prefix, "composed").value = answer.composed;
    PANEL.forEach(function (name) { setValue(field(answer.prefix, name), answer.panel[name]); });
  }

  function showList(data) {
    var count = byId("apercu-compte");
    var text = data.count > data.countCap ? words.countMore
      : data.count > 1 ? words.countMany : words.countOne;
    count.textContent = text.replace("{n}", String(Math.min(data.count, data.countCap)));
    var list = byId("apercu-liste");
    list.textContent = "";
    data.rows.forEach(function (row) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = row.url; link.textContent = row.title;
      item.appendChild(link);
      item.appendChild(document.createTextNode(" — " + row.kind));
      list.appendChild(item);
    });
  }

  function draw(next) {
    lastLayers = next.layers;
    var key = JSON.stringify(next.style);
    if (key !== styleKey) {
      styleKey = key;
      /* a whole new style (no diff), so that "style.load" comes and the layers follow */
      map.setStyle(window.SpassCarte.absoluteStyle(next.style), { diff: false });
      map.once("style.load", function () { window.SpassCarte.draw(map, lastLayers); });
      return;
    }
    window.SpassCarte.clear(map);
    window.SpassCarte.draw(map, next.layers);
  }

  function refresh() {
    var mine = ++sequence;
    state.textContent = words.updating;
    var body = new FormData(form);
    fetch(form.dataset.apercu, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": form.elements.csrfmiddlewaretoken.value }
    }).then(function (response) { return response.json(); }).then(function (data) {
      if (mine !== sequence) { return; }  /* a newer change is on its way */
      data.layers.forEach(applyLayer);
      var run = function () {
        draw(data.config);
        showList(data);
        form.dispatchEvent(new Event("spass:apercu"));
      };
      if (map.loaded() || map.isStyleLoaded()) { run(); } else { map.once("load", run); }
      var wrong = data.layers.some(function (l) { return Object.keys(l.errors).length; });
      state.textContent = wrong ? words.updatedWithErrors : words.updated;
      form.dataset.apercuAJour = String(mine);
    }).catch(function () {
      state.textContent = words.failed;
    });
  }

  function later() { clearTimeout(timer); timer = setTimeout(refresh, 400); }

  function onChange(event) {
    var target = event.target;
    var layer = target.closest ? target.closest(".couche") : null;
    if (layer) {
      var prefix = layer.dataset.prefix;
      var name = target.name.slice(prefix.length + 1);
      if (PANEL.indexOf(name) >= 0) {
        /* the panel changed: the server composes the text from it */
        field(prefix, "cql").value = field(prefix, "composed").value;
      }
      if (name === "base") { showKinds(layer); }
      if (name === "representation" || name === "icon") { showIcon(layer); }
    }
    later();
  }

  form.addEventListener("input", onChange);
  form.addEventListener("change", onChange);
  document.querySelectorAll(".couche").forEach(function (layer) {
    showKinds(layer);
    showIcon(layer);
  });

  /* « Ajouter une couche » without a round trip: the formset's empty form, numbered. */
  byId("ajouter-couche").addEventListener("click", function (event) {
    event.preventDefault();
    var total = form.elements["couches-TOTAL_FORMS"];
    var index = parseInt(total.value, 10);
    var html = byId("couche-modele").innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var layer = holder.firstElementChild;
    byId("couches").appendChild(layer);
    total.value = String(index + 1);
    layer.querySelectorAll(".js-seulement").forEach(function (n) { n.hidden = false; });
    renumber();
    showKinds(layer);
    showIcon(layer);
    field("couches-" + index, "base").focus();
    later();
  });

  /* The layers' positions follow their order on the page: « Monter » and « Descendre » move a
     layer and renumber every « Position » field (typed positions work without the script). */
  function renumber() {
    document.querySelectorAll("#couches .couche").forEach(function (layer, i) {
      layer.querySelector(".rang").textContent = String(i + 1);
      var order = field(layer.dataset.prefix, "ORDER");
      if (order) { order.value = String(i + 1); }
    });
  }
  byId("couches").addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".monter, .descendre") : null;
    if (!button) { return; }
    var layer = button.closest(".couche");
    var up = button.classList.contains("monter");
    var sibling = up ? layer.previousElementSibling : layer.nextElementSibling;
    if (!sibling) { return; }
    layer.parentNode.insertBefore(layer, up ? sibling : sibling.nextElementSibling);
    renumber();
    button.focus();
    state.textContent = words.moved.replace("{n}", layer.querySelector(".rang").textContent);
    later();
  });

  function writeView() {
    var center = map.getCenter();
    form.elements.center_lon.value = center.lng.toFixed(6);
    form.elements.center_lat.value = center.lat.toFixed(6);
    form.elements.zoom.value = map.getZoom().toFixed(1);
  }
  byId("vue-apercu").addEventListener("click", writeView);

  /* The union of the layers' TileJSON bounds (what the person sees), fitted in the preview;
     written into the initial view's fields when ``write``. */
  function fitToData(write) {
    var urls = lastLayers.filter(function (l) { return l.source.type === "vector"; })
      .map(function (l) { return new URL(l.source.url, window.location.href).href; });
    return Promise.all(urls.map(function (url) {
      return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); });
    })).then(function (docs) {
      var box = null;
      docs.forEach(function (doc) {
        var b = doc.bounds;
        if (!b) { return; }
        box = box ? [Math.min(box[0], b[0]), Math.min(box[1], b[1]),
          Math.max(box[2], b[2]), Math.max(box[3], b[3])] : b.slice();
      });
      if (!box) { if (write) { state.textContent = words.nothingToFit; } return; }
      if (write) { map.once("moveend", writeView); }
      map.fitBounds([[box[0], box[1]], [box[2], box[3]]], { padding: 30, maxZoom: 14,
        duration: 0 });
    });
  }
  byId("vue-donnees").addEventListener("click", function () { fitToData(true); });
  /* The initial extent: its four fields, drawn on the preview as an outline; « Dessiner
     l'emprise » lets the person drag a rectangle on the preview (Escape cancels), « Reprendre
     l'emprise de l'aperçu » takes what the preview shows (the keyboard's way). */
  var EXTENT = ["extent_west", "extent_south", "extent_east", "extent_north"];
  var drawButton = byId("emprise-dessiner");
  var drawing = null;  /* {start: LngLat} while a rectangle is being dragged */

  function extentOf() {
    var values = EXTENT.map(function (name) { return parseFloat(form.elements[name].value); });
    return values.some(isNaN) ? null : values;
  }
  function outline(box) {
    var data = { type: "FeatureCollection", features: box ? [{ type: "Feature", properties: {},
      geometry: { type: "Polygon", coordinates: [[[box[0], box[1]], [box[2], box[1]],
        [box[2], box[3]], [box[0], box[3]], [box[0], box[1]]]] } }] : [] };
    if (!map.isStyleLoaded() && !map.getSource("emprise")) { return; }
    if (map.getSource("emprise")) { map.getSource("emprise").setData(data); return; }
    map.addSource("emprise", { type: "geojson", data: data });
    map.addLayer({ id: "emprise-contour", type: "line", source: "emprise",
      paint: { "line-color": "#1d4ed8", "line-width": 2.5, "line-dasharray": [3, 2] } });
  }
  function showExtent() { outline(extentOf()); }
  function writeExtent(box) {
    EXTENT.forEach(function (name, i) {
      form.elements[name].value = box ? box[i].toFixed(6) : "";
    });
    showExtent();
  }
  function boxOf(a, b) {
    return [Math.min(a.lng, b.lng), Math.min(a.lat, b.lat), Math.max(a.lng, b.lng),
      Math.max(a.lat, b.lat)];
  }
  function stopDrawing(message) {
    drawing = null;
    drawButton.setAttribute("aria-pressed", "false");
    map.dragPan.enable();
    map.getCanvas().style.cursor = "";
    if (message) { state.textContent = message; }
  }
  drawButton.addEventListener("click", function () {
    if (drawButton.getAttribute("aria-pressed") === "true") {
      stopDrawing(words.extentCancelled); showExtent(); return;
    }
    drawButton.setAttribute("aria-pressed", "true");
    map.dragPan.disable();
    map.getCanvas().style.cursor = "crosshair";
    state.textContent = words.drawExtent;
  });
  ["mousedown", "touchstart"].forEach(function (type) {
    map.on(type, function (event) {
      if (drawButton.getAttribute("aria-pressed") !== "true") { return; }
      event.preventDefault();
      drawing = { start: event.lngLat };
    });
  });
  ["mousemove", "touchmove"].forEach(function (type) {
    map.on(type, function (event) {
      if (drawing) { outline(boxOf(drawing.start, event.lngLat)); }
    });
  });
  ["mouseup", "touchend"].forEach(function (type) {
    map.on(type, function (event) {
      if (!drawing) { return; }
      var box = boxOf(drawing.start, event.lngLat);
      stopDrawing(words.extentDrawn);
      if (box[2] - box[0] > 0 && box[3] - box[1] > 0) { writeExtent(box); } else { showExtent(); }
      drawButton.focus();
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && drawButton.getAttribute("aria-pressed") === "true") {
      stopDrawing(words.extentCancelled);
      showExtent();
    }
  });
  byId("emprise-apercu").addEventListener("click", function () {
    var b = map.getBounds();
    writeExtent([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]);
  });
  byId("emprise-effacer").addEventListener("click", function () { writeExtent(null); });
  EXTENT.forEach(function (name) { form.elements[name].addEventListener("input", showExtent); });
  map.on("style.load", showExtent);

  /* a map without an initial view yet: the preview frames its data until the person moves it */
  var framing = !form.elements.center_lon.value && !extentOf();
  map.on("dragstart", function () { framing = false; });
  map.on("zoomstart", function (event) { if (event.originalEvent) { framing = false; } });
  form.addEventListener("spass:apercu", function () { if (framing) { fitToData(false); } });

  map.on("load", refresh);
})();
