/*
 * Gopherscope embed loader. On a course page:
 *
 *   <div data-gopherscope="value-table" data-params="goarch=arm"></div>
 *   <div data-gopherscope="scheduler" data-preset="work-stealing"></div>
 *   <script src="https://GOPHERSCOPE-HOST/embed.js" async></script>
 *
 * Each element gets an iframe of /embed/<widget>, told the page's origin so
 * that it talks to this page only. The iframe's height follows its content
 * ("gopherscope:resize" messages), and xAPI statements from the widget
 * (quiz answers) are re-dispatched on the element as a bubbling DOM event
 * "gopherscope:statement" whose detail is the statement. Messages from any
 * other origin, or from frames this loader did not create, are ignored.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = new URL(script && script.src ? script.src : location.href).origin;
  var frames = {};
  var count = 0;

  function mount(el) {
    if (el.getAttribute("data-gopherscope-mounted")) return;
    el.setAttribute("data-gopherscope-mounted", "true");
    var widget = el.getAttribute("data-gopherscope") || "";
    if (!/^[a-z0-9-]+$/.test(widget)) {
      el.textContent = "Gopherscope: \"" + widget + "\" is not a widget name (use lowercase letters, digits and dashes, e.g. value-table).";
      return;
    }
    var id = "gopherscope-" + ++count;
    var params = new URLSearchParams(el.getAttribute("data-params") || "");
    if (el.getAttribute("data-preset")) params.set("preset", el.getAttribute("data-preset"));
    params.set("origin", location.origin);
    params.set("frame", id);
    var iframe = document.createElement("iframe");
    iframe.src = base + "/embed/" + widget + "?" + params.toString();
    iframe.title = el.getAttribute("data-title") || "Gopherscope: " + widget;
    iframe.style.width = "100%";
    iframe.style.border = "0";
    iframe.style.height = (parseInt(el.getAttribute("data-height"), 10) || 420) + "px";
    frames[id] = { iframe: iframe, el: el };
    el.appendChild(iframe);
  }

  window.addEventListener("message", function (e) {
    if (e.origin !== base) return;
    var d = e.data;
    if (!d || typeof d.type !== "string" || !Object.prototype.hasOwnProperty.call(frames, d.frame)) return;
    var f = frames[d.frame];
    if (e.source !== f.iframe.contentWindow) return;
    if (d.type === "gopherscope:resize" && typeof d.height === "number" && d.height > 0) {
      f.iframe.style.height = Math.ceil(d.height) + "px";
    } else if (d.type === "gopherscope:statement" && d.statement) {
      f.el.dispatchEvent(new CustomEvent("gopherscope:statement", { detail: d.statement, bubbles: true }));
    }
  });

  function mountAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-gopherscope]"), mount);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
  else mountAll();
  window.Gopherscope = { mount: mountAll, origin: base };
})();
