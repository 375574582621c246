// Polls the state of a running import and reloads the page once it is finished.
(function () {
  "use strict";
  var state = document.getElementById("import-etat");
  if (!state) { return; }
  var bar = document.getElementById("import-progression");
  var rows = document.getElementById("import-lignes");
  function poll() {
    fetch(state.dataset.url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.done) { window.location.reload(); return; }
        state.textContent = s.status_label;
        if (s.percent !== null) { bar.value = s.percent; }
        rows.textContent = s.read + " / " + (s.total === null ? "?" : s.total);
        document.querySelectorAll("[data-count]").forEach(function (cell) {
          cell.textContent = s[cell.dataset.count];
        });
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
