/* The carnet editor: the carnet's fields and its blocks, kept in one object (state) that is
   saved by PATCH to /api/v1/publications/<slug>/ — automatically a moment after each change,
   or with « Enregistrer ». Each save sends the version it was made from; a 409 means someone
   saved in between: nothing is lost, the page keeps the text and says so. Blocks are reordered
   by dragging their handle or with their « Monter » / « Descendre » buttons (focus follows). */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("editeur-config").textContent);
  var L = config.labels;
  var state = JSON.parse(JSON.stringify(config.carnet));
  var media = config.media;
  var list = document.getElementById("blocs");
  var status = document.getElementById("etat");
  var conflict = document.getElementById("conflit");
  var announce = document.getElementById("annonce");
  var timer = null, saving = false, again = false, uid = 0;

  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; }
      else if (k.indexOf("on") === 0) { node.addEventListener(k.slice(2), attrs[k]); }
      else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(c); } });
    return node;
  }
  function setStatus(text, kind) { status.textContent = text; status.className = "etat " + (kind || ""); }

  /* ---- saving ---- */
  function changed() {
    setStatus(L.unsaved, "");
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  }
  function payload() {
    var body = { version: state.version, blocks: state.blocks };
    ["title", "subtitle", "credits", "themes", "territory", "story", "cover"].forEach(function (k) {
      body[k] = state[k];
    });
    if (config.isAuthor) { body.level = state.level; }
    if (config.mayChooseEditors) { body.editors = state.editors; }
    return body;
  }
  function save() {
    clearTimeout(timer);
    if (saving) { again = true; return Promise.resolve(); }
    saving = true;
    setStatus(L.saving, "");
    return fetch(config.api, {
      method: "PATCH", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), "Accept": "application/json" },
      body: JSON.stringify(payload())
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }).then(function (answer) {
      saving = false;
      if (answer.status === 200) {
        state.version = answer.data.version;
        conflict.hidden = true;
        setStatus(L.saved, "");
        document.getElementById("editeur").setAttribute("data-version", state.version);
      } else if (answer.status === 409) {
        conflict.hidden = false;
        conflict.textContent = L.conflict + " " + answer.data.detail;
        setStatus(L.conflict + " " + answer.data.detail, "conflit");
      } else {
        var messages = [];
        Object.keys(answer.data).forEach(function (k) {
          var v = answer.data[k];
          messages.push(Array.isArray(v) ? v.join(" ") : String(v));
        });
        setStatus(L.error + " " + messages.join(" "), "erreur");
      }
      if (again) { again = false; save(); }
    }).catch(function () { saving = false; setStatus(L.error, "erreur"); });
  }
  document.getElementById("enregistrer").addEventListener("click", save);
  window.addEventListener("beforeunload", function (event) {
    if (status.textContent === L.unsaved) { event.preventDefault(); }
  });

  /* ---- the carnet's fields ---- */
  function fillCover() {
    var select = document.getElementById("f-cover");
    select.innerHTML = "";
    select.appendChild(el("option", { value: "", text: L.none }));
    media.filter(function (m) { return m.kind === "image"; }).forEach(function (m) {
      var option = el("option", { value: String(m.id), text: m.name + " (n° " + m.id + ")" });
      if (state.cover === m.id) { option.selected = true; }
      select.appendChild(option);
    });
  }
  document.querySelectorAll("[data-champ]").forEach(function (input) {
    var name = input.dataset.champ;
    var value = state[name];
    if (input.type === "checkbox") { input.checked = !!value; }
    else if (name === "themes" || name === "editors") { input.value = (value || []).join(", "); }
    else if (name !== "cover") { input.value = value === null || value === undefined ? "" : value; }
    input.addEventListener(input.tagName === "SELECT" || input.type === "checkbox" ? "change" : "input", function () {
      if (input.type === "checkbox") { state[name] = input.checked; }
      else if (name === "themes" || name === "editors") {
        state[name] = input.value.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
      } else if (name === "cover") { state.cover = input.value ? Number(input.value) : null; }
      else { state[name] = input.value; }
      changed();
    });
  });
  fillCover();
  if (!config.isAuthor) { document.getElementById("p-level").hidden = true; }
  if (!config.mayChooseEditors) { document.getElementById("p-editors").hidden = true; }

  /* ---- blocks ---- */
  var EMPTY = {
    text: function () { return { type: "text", markdown: "" }; },
    photo: function () { return { type: "photo", images: [{ alt: "", caption: "", credit: "" }] }; },
    map: function () { return { type: "map", layer: { base: "observatoire", kinds: [], filter: "", style: "markers", color: "#c0392b" }, extent: null, caption: "", steps: [] }; },
    resources: function () { return { type: "resources", resources: [] }; },
    video: function () { return { type: "video", title: "", caption: "" }; },
    compare: function () { return { type: "compare", before: { alt: "" }, after: { alt: "" }, caption: "" }; },
    quote: function () { return { type: "quote", text: "", source: "" }; },
    separator: function () { return { type: "separator" }; }
  };

  function field(label, input) {
    var id = "c" + (++uid);
    input.id = id;
    return el("p", {}, [el("label", { "for": id, text: label }), input]);
  }
  function textInput(obj, key, label, options) {
    var input = el((options && options.area) ? "textarea" : "input",
      (options && options.area) ? { rows: options.rows || 6 } : { type: "text" });
    input.value = obj[key] === undefined || obj[key] === null ? "" : obj[key];
    input.addEventListener("input", function () {
      obj[key] = options && options.parse ? options.parse(input.value) : input.value;
      changed();
    });
    return field(label, input);
  }
  /* The map of a map block's extents (the block's solid, its steps' dashed) over the
     project's outlines, to frame them by moving the map rather than typing degrees. Maps
     whose block left the page are removed (a page holds few WebGL contexts). */
  var maps = [];
  function pruneMaps() {
    maps = maps.filter(function (m) {
      if (m.getContainer().isConnected) { return true; }
      m.remove();
      return false;
    });
  }
  function extentMap(b) {
    var box = el("div", { "class": "carte-emprise", role: "application", "aria-label": L.extentMap,
      "data-outlines": config.outlines });
    var map = null;
    function rectangle(extent, kind) {
      if (!extent || extent.length !== 4 || extent.some(isNaN)) { return null; }
      var w = extent[0], s = extent[1], e = extent[2], n = extent[3];
      return { type: "Feature", properties: { kind: kind },
        geometry: { type: "Polygon", coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] } };
    }
    function data() {
      var features = [rectangle(b.extent, "bloc")].concat((b.steps || []).map(function (step) {
        return rectangle(step.extent, "etape");
      }));
      return { type: "FeatureCollection", features: features.filter(Boolean) };
    }
    function show(extent) {
      if (map && rectangle(extent, "")) {
        map.fitBounds([[extent[0], extent[1]], [extent[2], extent[3]]], { duration: 0 });
      }
    }
    requestAnimationFrame(function () {
      if (!window.maplibregl || !box.isConnected) { return; }
      map = window.spassMap(box);
      maps.push(map);
      map.on("load", function () {
        map.addSource("emprises", { type: "geojson", data: data() });
        map.addLayer({ id: "emprise-bloc", type: "line", source: "emprises",
          filter: ["==", ["get", "kind"], "bloc"], paint: { "line-color": "#1d4f91", "line-width": 2.5 } });
        map.addLayer({ id: "emprise-etapes", type: "line", source: "emprises",
          filter: ["==", ["get", "kind"], "etape"],
          paint: { "line-color": "#b3261e", "line-width": 2, "line-dasharray": [2, 2] } });
        show(b.extent);
      });
    });
    return {
      box: box,
      help: el("p", { "class": "help", text: L.extentMap }),
      show: show,
      refresh: function () {
        if (map && map.getSource("emprises")) { map.getSource("emprises").setData(data()); }
      },
      /* a button giving the map's view to set(view), which answers the field to update */
      take: function (set) {
        var self = this;
        return el("button", { type: "button", "class": "secondaire", text: L.takeView, onclick: function () {
          if (!map) { return; }
          var view = map.getBounds().toArray();
          var extent = [view[0][0], view[0][1], view[1][0], view[1][1]].map(function (v) {
            return Math.round(v * 10000) / 10000;
          });
          set(extent).querySelector("input").value = extent.join(", ");
          self.refresh();
          changed();
        } });
      }
    };
  }
  function numbers(text) {
    var parts = text.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
    return parts.length ? parts.map(Number) : null;
  }
  function upload(kind, done) {
    var input = el("input", { type: "file", accept: kind === "video" ? "video/*" : "image/*" });
    input.addEventListener("change", function () {
      if (!input.files.length) { return; }
      var form = new FormData();
      form.append("file", input.files[0]);
      setStatus(L.saving, "");
      fetch(config.upload, { method: "POST", credentials: "same-origin", body: form,
        headers: { "X-CSRFToken": csrf(), "Accept": "application/json" } })
        .then(function (r) { return r.json().then(function (d) { return { ok: r.ok, data: d }; }); })
        .then(function (answer) {
          if (!answer.ok) {
            var d = answer.data;
            setStatus(L.error + " " + (d.file ? [].concat(d.file).join(" ") : (d.detail || JSON.stringify(d))), "erreur");
            return;
          }
          media.push(answer.data);
          fillCover();
          setStatus(L.uploaded, "");
          done(answer.data);
        });
    });
    return field(kind === "video" ? L.uploadVideo : L.upload, input);
  }
  function imageEditor(image, onRemove) {
    var box = el("div", { "class": "image-editeur" });
    var preview = el("p", { "class": "meta" });
    function showPreview() {
      preview.textContent = image.media ? L.image + " n° " + image.media :
        (image.resource ? L.image + " : fiche " + image.resource + ", photo " + image.attachment : "");
    }
    showPreview();
    box.appendChild(preview);
    box.appendChild(upload("image", function (m) {
      delete image.resource; delete image.attachment;
      image.media = m.id; showPreview(); changed();
    }));
    box.appendChild(textInput(image, "resource", L.fromMediatheque, { parse: function (v) {
      var n = numbers(v); if (n) { delete image.media; image.attachment = n[1]; return n[0]; } return undefined; } }));
    box.appendChild(textInput(image, "alt", L.alt));
    box.appendChild(textInput(image, "caption", L.caption));
    box.appendChild(textInput(image, "credit", L.credit));
    if (onRemove) { box.appendChild(el("button", { type: "button", text: L.removeImage, onclick: onRemove })); }
    return box;
  }
  function picker(label, search, render) {
    var input = el("input", { type: "search" });
    var results = el("ul", { "class": "choix-resultats", "aria-live": "polite" });
    var go = function (event) {
      if (event) { event.preventDefault(); }
      search(input.value).then(function (rows) {
        results.innerHTML = "";
        if (!rows.length) { results.appendChild(el("li", { text: L.noResult })); }
        rows.forEach(function (row) { results.appendChild(render(row)); });
      });
    };
    input.addEventListener("keydown", function (e) { if (e.key === "Enter") { go(e); } });
    var box = el("div", { "class": "choix" }, [field(label, input),
      el("button", { type: "button", text: L.search, onclick: go }), results]);
    return box;
  }
  function searchResources(q) {
    return fetch("/api/v1/resources/?limit=10&q=" + encodeURIComponent(q), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (d) { return (d.features || []).map(function (f) { return { id: f.id, title: f.properties.title, kind: f.properties.kind }; }); });
  }
  function searchMaps(q) {
    return fetch("/api/v1/maps/?limit=100", { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        var words = q.toLowerCase();
        return (d.results || []).filter(function (m) { return m.title.toLowerCase().indexOf(words) !== -1; }).slice(0, 10);
      });
  }

  var BODY = {
    text: function (b) { return [textInput(b, "markdown", L.markdown, { area: true, rows: 8 })]; },
    quote: function (b) { return [textInput(b, "text", L.quoteText, { area: true, rows: 3 }), textInput(b, "source", L.source)]; },
    separator: function () { return []; },
    photo: function (b, redraw) {
      var parts = b.images.map(function (image, i) {
        return imageEditor(image, b.images.length > 1 ? function () { b.images.splice(i, 1); changed(); redraw(); } : null);
      });
      parts.push(el("button", { type: "button", text: L.addImage, onclick: function () {
        b.images.push({ alt: "", caption: "", credit: "" }); changed(); redraw(); } }));
      return parts;
    },
    compare: function (b) {
      return [el("h4", { text: L.before }), imageEditor(b.before), el("h4", { text: L.after }),
        imageEditor(b.after), textInput(b, "caption", L.caption)];
    },
    video: function (b) {
      var info = el("p", { "class": "meta", text: b.media ? L.video + " n° " + b.media : "" });
      return [textInput(b, "title", L.title), info,
        upload("video", function (m) { delete b.url; b.media = m.id; info.textContent = L.video + " n° " + m.id; changed(); }),
        textInput(b, "url", L.url, { parse: function (v) { if (v) { delete b.media; } return v; } }),
        textInput(b, "caption", L.caption)];
    },
    resources: function (b, redraw) {
      var chosen = el("ul", {}, b.resources.map(function (id, i) {
        return el("li", {}, [document.createTextNode("n° " + id + " "),
          el("button", { type: "button", text: L.remove1, onclick: function () { b.resources.splice(i, 1); changed(); redraw(); } })]);
      }));
      return [el("p", { text: L.chosen }), chosen, picker(L.searchResources, searchResources, function (row) {
        return el("li", {}, [document.createTextNode(row.title + " (" + row.kind + ")"),
          el("button", { type: "button", text: L.add, onclick: function () {
            if (b.resources.indexOf(row.id) === -1) { b.resources.push(row.id); changed(); redraw(); } } })]);
      })];
    },
    map: function (b, redraw) {
      var layer = b.layer || { base: "observatoire", kinds: [], filter: "", style: "markers", color: "#c0392b" };
      var parts = [el("p", { text: L.mapChosen + " : " + (b.map || "—") }),
        picker(L.searchMaps, searchMaps, function (row) {
          return el("li", {}, [document.createTextNode(row.title),
            el("button", { type: "button", text: L.add, onclick: function () {
              b.map = row.slug; delete b.layer; changed(); redraw(); } })]);
        }), el("h4", { text: L.orLayer })];
      var useLayer = function () { if (!b.layer) { b.layer = layer; delete b.map; } };
      [["base", L.base], ["filter", L.filter], ["color", L.color]].forEach(function (pair) {
        var p = textInput(layer, pair[0], pair[1]);
        p.querySelector("input").addEventListener("input", useLayer);
        parts.push(p);
      });
      var kinds = textInput({ k: (layer.kinds || []).join(", ") }, "k", L.kinds);
      kinds.querySelector("input").addEventListener("input", function (e) {
        useLayer();
        layer.kinds = e.target.value.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
      });
      parts.push(kinds);
      var extents = extentMap(b);
      var blockExtent = textInput({ e: (b.extent || []).join(", ") }, "e", L.extent,
        { parse: function (v) { b.extent = numbers(v); extents.refresh(); return v; } });
      parts.push(extents.help, extents.box, blockExtent,
        extents.take(function (view) { b.extent = view; return blockExtent; }));
      parts.push(textInput(b, "caption", L.caption));
      parts.push(el("h4", { text: L.steps }));
      (b.steps || []).forEach(function (step, i) {
        var stepExtent = textInput({ e: (step.extent || []).join(", ") }, "e", L.extent,
          { parse: function (v) { step.extent = numbers(v); extents.refresh(); return v; } });
        parts.push(el("fieldset", {}, [el("legend", { text: L.step + " " + (i + 1) }),
          textInput(step, "markdown", L.markdown, { area: true, rows: 3 }),
          stepExtent,
          el("p", { "class": "boutons-emprise" }, [
            extents.take(function (view) { step.extent = view; return stepExtent; }),
            el("button", { type: "button", "class": "secondaire", text: L.showExtent,
              onclick: function () { extents.show(step.extent); } })]),
          textInput({ s: (step.show || []).join(", ") }, "s", L.show, { parse: function (v) { step.show = numbers(v) || []; return v; } }),
          textInput({ h: (step.hide || []).join(", ") }, "h", L.hide, { parse: function (v) { step.hide = numbers(v) || []; return v; } }),
          el("button", { type: "button", text: L.remove1, onclick: function () { b.steps.splice(i, 1); changed(); redraw(); } })]));
      });
      parts.push(el("button", { type: "button", text: L.addStep, onclick: function () {
        b.steps = b.steps || []; b.steps.push({ markdown: "", extent: b.extent, show: [], hide: [] }); changed(); redraw(); } }));
      return parts;
    }
  };

  function move(from, to, focusClass) {
    if (to < 0 || to >= state.blocks.length) { return; }
    var block = state.blocks.splice(from, 1)[0];
    state.blocks.splice(to, 0, block);
    draw();
    announce.textContent = L.moved.replace("%s", String(to + 1));
    /* the focus follows the block: on the same button, or the other one at the top or bottom */
    var target = list.children[to].querySelector("." + focusClass + ":not([disabled])") ||
      list.children[to].querySelector("header button:not([disabled])");
    if (target) { target.focus(); }
    changed();
  }

  var dragging = null;
  function blockItem(b, index) {
    var item = el("li", { "class": "bloc-editeur", "data-type": b.type, "data-index": String(index) });
    var redraw = function () { var fresh = blockItem(b, index); list.replaceChild(fresh, item); pruneMaps(); };
    var handle = el("span", { "class": "poignee", draggable: "true", title: L.handle, "aria-hidden": "true", text: "⠿" });
    var number = index + 1;
    var header = el("header", {}, [
      el("h3", {}, [handle, document.createTextNode(number + ". " + L[b.type])]),
      el("span", {}, [
        el("button", { type: "button", "class": "monter", text: L.up, "aria-label": L.up + " (" + number + ". " + L[b.type] + ")",
          onclick: function () { move(index, index - 1, "monter"); } }),
        el("button", { type: "button", "class": "descendre", text: L.down, "aria-label": L.down + " (" + number + ". " + L[b.type] + ")",
          onclick: function () { move(index, index + 1, "descendre"); } }),
        el("button", { type: "button", "class": "supprimer", text: L.remove, onclick: function () {
          state.blocks.splice(index, 1); draw(); announce.textContent = L.removed; changed();
          var next = list.children[Math.min(index, state.blocks.length - 1)];
          (next ? next.querySelector("button") : document.querySelector("[data-ajouter]")).focus(); } })
      ])
    ]);
    item.appendChild(header);
    BODY[b.type](b, redraw).forEach(function (part) { item.appendChild(part); });
    handle.addEventListener("dragstart", function (e) { dragging = index; item.classList.add("glisse"); e.dataTransfer.setData("text/plain", String(index)); e.dataTransfer.setDragImage(item, 10, 10); });
    handle.addEventListener("dragend", function () { item.classList.remove("glisse"); });
    item.addEventListener("dragover", function (e) { if (dragging !== null) { e.preventDefault(); } });
    item.addEventListener("drop", function (e) {
      e.preventDefault();
      if (dragging !== null && dragging !== index) { move(dragging, index, "monter"); }
      dragging = null;
    });
    if (index === 0) { header.querySelector(".monter").disabled = true; }
    if (index === state.blocks.length - 1) { header.querySelector(".descendre").disabled = true; }
    return item;
  }
  function draw() {
    list.innerHTML = "";
    state.blocks.forEach(function (b, i) { list.appendChild(blockItem(b, i)); });
    pruneMaps();
  }
  document.querySelectorAll("[data-ajouter]").forEach(function (button) {
    button.addEventListener("click", function () {
      state.blocks.push(EMPTY[button.dataset.ajouter]());
      draw();
      var last = list.lastElementChild;
      var first = last.querySelector("textarea, input") || last.querySelector("button.supprimer");
      if (first) { first.focus(); }
      announce.textContent = L.added.replace("%s", String(state.blocks.length));
      changed();
    });
  });
  draw();
  window.spassEditeur = { state: state, save: save };
})();
