// The listener of Embedly's resize message (which Observable's embeds also
// send), as its documentation describes it: the frame posts the JSON text
// {"src": its own address, "context": "iframe.resize", "height": pixels},
// and the host sizes the iframe whose src is that address. The host trusts
// only the origin of the frame it embeds (this page's ?src=).
(function () {
  "use strict";
  var from = new URL(new URLSearchParams(location.search).get("src")).origin;
  window.addEventListener("message", function (event) {
    if (event.origin !== from || typeof event.data !== "string") return;
    var msg;
    try {
      msg = JSON.parse(event.data);
    } catch (e) {
      return;
    }
    if (!msg || msg.context !== "iframe.resize" || typeof msg.height !== "number") return;
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].src === msg.src) frames[i].style.height = Math.ceil(msg.height) + "px";
    }
  });
})();
