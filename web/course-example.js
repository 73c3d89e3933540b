// The example course page's own script (web/course-example.html).
// The Gopherscope host: this page's own origin, or ?gopherscope=ORIGIN.
(function () {
  var asked = new URLSearchParams(location.search).get("gopherscope");
  var base = asked && /^https?:\/\/[A-Za-z0-9.-]+(:\d+)?$/.test(asked) ? asked : location.origin;
  window.received = [];
  function log(text) {
    var li = document.createElement("li");
    li.textContent = text;
    document.getElementById("log").appendChild(li);
  }
  // Plain iframes: name our origin and a frame id, size them from messages.
  var direct = {
    "direct-sched": "scheduler?preset=work-stealing",
    "direct-pacer": "gc-pacer?preset=container",
    "direct-values": "value-table?goarch=arm"
  };
  Object.keys(direct).forEach(function (id) {
    var path = direct[id];
    var sep = path.indexOf("?") < 0 ? "?" : "&";
    document.getElementById(id).src = base + "/embed/" + path + sep + "origin=" + encodeURIComponent(location.origin) + "&frame=" + id;
  });
  window.addEventListener("message", function (e) {
    if (e.origin !== base || !e.data || typeof e.data.type !== "string") return;
    window.received.push({ origin: e.origin, data: e.data });
    var frame = document.getElementById(e.data.frame);
    if (e.data.type === "gopherscope:resize" && frame && frame.tagName === "IFRAME") {
      frame.style.height = Math.ceil(e.data.height) + "px";
    }
  });
  document.addEventListener("gopherscope:statement", function (e) {
    var s = e.detail;
    log(s.verb.display["en-US"] + " " + s.object.id + (s.result && "success" in s.result ? (s.result.success ? " (right)" : " (wrong)") : "") +
        (s.result && s.result.score ? " score " + s.result.score.raw + "/" + s.result.score.max : ""));
  });
  var script = document.createElement("script");
  script.src = base + "/embed.js";
  document.body.appendChild(script);
})();
