// Gopherscope's loader, a file of its own so that the site needs no inline
// script (it runs under the strict Content Security Policy in the README).
//
// Every page and embed loads it as
//   <script src="/start-HASH.js" defer data-gopherscope-loader
//           data-module="/BUNDLE.js" data-module-integrity="sha384-…"
//           data-wasm="/BUNDLE_bg.wasm" data-wasm-integrity="sha384-…">
// (`cargo xtask build` fills in the bundle each document gets). The text of
// the page is already in the HTML; this starts the widgets' wasm once the
// page has shown it, and when the wasm cannot run, each widget's still says
// why.
(function () {
  "use strict";
  var me = document.currentScript;

  function fail(text) {
    var islands = document.querySelectorAll("[data-gopherscope]");
    for (var i = 0; i < islands.length; i++) {
      var note = document.createElement("p");
      note.setAttribute("role", "alert");
      note.className = "startup-error";
      note.textContent = text;
      islands[i].insertBefore(note, islands[i].firstChild);
    }
  }

  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    document.addEventListener("DOMContentLoaded", function () {
      fail("This live widget needs WebAssembly, which this browser does not offer or has turned off. The text of the page is all here; to play with the widget, open the page in a current version of Firefox, Chrome, Edge or Safari.");
    });
    return;
  }
  window.addEventListener("unhandledrejection", function (e) {
    fail("The live widget could not start: " + (e.reason && e.reason.message ? e.reason.message : e.reason) + ". Reloading the page may help.");
  });

  var module = me && me.getAttribute("data-module");
  var wasm = me && me.getAttribute("data-wasm");
  if (!module || !wasm) return;

  // The bundle's script goes through a module preload, which checks its
  // integrity; the import then takes the checked module.
  function start() {
    var preload = document.createElement("link");
    preload.rel = "modulepreload";
    preload.href = module;
    var moduleIntegrity = me.getAttribute("data-module-integrity");
    if (moduleIntegrity) preload.integrity = moduleIntegrity;
    document.head.appendChild(preload);
    var wasmIntegrity = me.getAttribute("data-wasm-integrity");
    return import(module).then(function (bindings) {
      var source = fetch(wasm, wasmIntegrity ? { integrity: wasmIntegrity } : {});
      return bindings.default({ module_or_path: source }).then(function (instance) {
        window.wasmBindings = bindings;
        dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm: instance } }));
      });
    });
  }

  // After the load event and the next frame: Lighthouse's mobile run counts
  // a wasm fetched before the largest paint into that paint (the largest
  // contentful paint of /values was 1.96 s with Trunk's own loader and its
  // preloads, 0.90 s deferred). A frame out of view (an embed below the
  // fold) draws no frame, so a timer starts it there.
  var started = false;
  function go() {
    if (!started) {
      started = true;
      start();
    }
  }
  function later() {
    requestAnimationFrame(function () {
      setTimeout(go, 0);
    });
    setTimeout(go, 250);
  }
  if (document.readyState === "complete") later();
  else addEventListener("load", later);
})();
