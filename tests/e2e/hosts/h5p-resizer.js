// H5P's resizer, the script an H5P-aware host page runs for the frames it
// embeds, written here from the messages H5P's own h5p-resizer.js and
// h5p.js exchange (h5p/h5p-php-library, js/). No npm package ships that
// file, so this is the same protocol in our words:
//
// frame -> host  {context: "h5p", action: "hello"}
// host -> frame  {context: "h5p", action: "hello"}           (and "resize" when the host window resizes)
// frame -> host  {context: "h5p", action: "prepareResize", scrollHeight, clientHeight}
// host           sets the frame to clientHeight, unless the frame already fits
// host -> frame  {context: "h5p", action: "resizePrepared"}
// frame -> host  {context: "h5p", action: "resize", scrollHeight}
// host           sets the frame to scrollHeight
//
// Like the original, it answers whichever frame wrote (found by the
// message's source) at that frame's origin, and says "ready" at start to
// the frames whose address holds "h5p".
(function () {
  "use strict";
  function frameOf(source) {
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) if (frames[i].contentWindow === source) return frames[i];
    return null;
  }
  var handlers = {
    hello: function (frame, data, reply) {
      frame.style.width = "100%";
      frame.getBoundingClientRect();
      window.addEventListener("resize", function () {
        if (frame.contentWindow) reply("resize");
      });
      reply("hello");
    },
    prepareResize: function (frame, data, reply) {
      if (frame.clientHeight !== data.scrollHeight || data.scrollHeight !== data.clientHeight) {
        frame.style.height = data.clientHeight + "px";
        reply("resizePrepared");
      }
    },
    resize: function (frame, data) {
      frame.style.height = data.scrollHeight + "px";
    },
  };
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.context !== "h5p" || !Object.prototype.hasOwnProperty.call(handlers, data.action)) return;
    var frame = frameOf(event.source);
    if (!frame) return;
    handlers[data.action](frame, data, function (action) {
      event.source.postMessage({ action: action, context: "h5p" }, event.origin);
    });
  });
  var frames = document.getElementsByTagName("iframe");
  for (var i = 0; i < frames.length; i++) {
    if (frames[i].src.indexOf("h5p") !== -1) frames[i].contentWindow.postMessage({ context: "h5p", action: "ready" }, "*");
  }
})();
