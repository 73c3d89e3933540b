// Gopherscope's service worker: after the first visit the whole site works
// offline. `cargo xtask build` writes the list of files and a version into
// dist/sw.js (see crates/xtask/src/site.rs); this is its template.
const VERSION = "__VERSION__";
const PRECACHE = __PRECACHE__;
const CACHE = "gopherscope-" + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("gopherscope-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// Pages: the network first (a new build shows at once), the cache when
// offline. Everything else has a content hash in its name or is data: the
// cache first.
self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request).catch(() =>
        caches
          .match(url.pathname, { cacheName: CACHE })
          .then((hit) => hit || caches.match(url.pathname.replace(/\/?$/, "/"), { cacheName: CACHE }))
          .then((hit) => hit || caches.match("/404.html", { cacheName: CACHE })),
      ),
    );
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit || fetch(request)));
});
