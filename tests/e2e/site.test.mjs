// The whole site in a real browser: every page and embed loads without a
// console error, is reachable by URL and by keyboard alone, passes an axe
// audit in light and dark, fits a 360 px phone, and degrades with a message.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { serve, launch, openPage, load, audit, pagePaths, embedPaths, ARTIFACTS } from "./harness.mjs";

let server, browser, pages, embeds;

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  server = await serve();
  browser = await launch();
  const page = await openPage(browser);
  pages = await pagePaths(page, server.url);
  embeds = await embedPaths(page, server.url);
  await page.context().close();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const shotName = (path, suffix) =>
  `${ARTIFACTS}${(path.replace(/^\//, "") || "home").replace(/[/?=]/g, "_")}${suffix}.png`;

test("the registry gives eight pages and at least two embeddable widgets", () => {
  assert.equal(pages.length, 8, `pages: ${pages}`);
  assert.ok(embeds.length >= 2, `embeds: ${embeds}`);
});

test("every page and embed loads by URL with zero console errors", async () => {
  for (const path of [...pages, ...embeds]) {
    const page = await openPage(browser);
    await load(page, server.url + path);
    const h1 = await page.textContent("main h1");
    assert.ok(h1.trim().length > 0, `${path} has a heading`);
    assert.ok((await page.title()).includes("Gopherscope"), `${path} has a title`);
    // A reload of a deep link must land on the same page (routes survive).
    await page.reload();
    await page.waitForSelector("html[data-islands=live] main h1");
    assert.equal(await page.textContent("main h1"), h1, `${path} survives a reload`);
    await page.screenshot({ path: shotName(path, ""), fullPage: true });
    assert.deepEqual(page.errors, [], `console errors on ${path}`);
    await page.context().close();
  }
});

test("every page is reachable from the home page by keyboard alone", async () => {
  const page = await openPage(browser);
  for (const path of pages) {
    await load(page, server.url + "/");
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(
        (p) => document.activeElement?.closest("nav")?.tagName === "NAV" && document.activeElement.getAttribute("href") === p,
        path,
      );
    }
    assert.ok(reached, `Tab reaches the link to ${path}`);
    await page.keyboard.press("Enter");
    await page.waitForFunction((p) => location.pathname === p, path);
    await page.waitForSelector("html[data-islands=live] main h1");
    const current = await page.getAttribute("nav a[aria-current=page]", "href");
    assert.equal(current, path, `${path} is marked as the current page`);
    // A new document: its own title, and focus starts from the top.
    const h1 = await page.textContent("main h1");
    assert.equal(await page.title(), `${h1} · Gopherscope`, `${path}'s title`);
  }
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("the skip link and the big-picture map work by keyboard", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Skip to content");
  const box = page.locator(".big-picture a[href='/gc']");
  await box.focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => location.pathname === "/gc");
  assert.equal(await page.textContent("main h1"), "The garbage collector");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

/// Views that only appear with some parameters: the marking widget draws a
/// 2,000-object heap on a canvas.
const BIG_VIEWS = ["/embed/gc-marking?preset=large-random&step=400"];

test("axe finds no serious or critical violation, light or dark", async () => {
  for (const colorScheme of ["light", "dark"]) {
    for (const path of [...pages, ...embeds, ...BIG_VIEWS, "/no-such-page", "/values?goarch=sparc"]) {
      const page = await openPage(browser, { colorScheme });
      await load(page, server.url + path);
      const violations = await audit(page);
      assert.deepEqual(violations, [], `${colorScheme} ${path}`);
      if (colorScheme === "dark") await page.screenshot({ path: shotName(path, "-dark"), fullPage: true });
      await page.context().close();
    }
  }
});

test("every page fits a 360 px phone without sideways scrolling", async () => {
  for (const path of [...pages, ...embeds, ...BIG_VIEWS]) {
    const page = await openPage(browser, { viewport: { width: 360, height: 740 } });
    await load(page, server.url + path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path} is ${overflow}px too wide at 360px`);
    await page.screenshot({ path: shotName(path, "-phone"), fullPage: true });
    await page.context().close();
  }
});

test("an unknown route shows not-found with the navigation, and status 404", async () => {
  const page = await openPage(browser);
  const response = await page.goto(server.url + "/no/such/page");
  assert.equal(response.status(), 404);
  await page.waitForSelector("html[data-islands=live] main h1");
  assert.equal(await page.textContent("main h1"), "Page not found");
  assert.equal(await page.textContent("[data-requested-path]"), "/no/such/page");
  assert.equal(await page.locator("nav[aria-label=Pages] a").count(), pages.length);
  // The browser reports the page's own status; nothing else went wrong.
  assert.deepEqual(page.errors, ["Failed to load resource: the server responded with a status of 404 (Not Found)"]);
  await page.context().close();
});

test("the GOARCH switch works by keyboard, lands in the URL and survives reload", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/values");
  const size = () => page.textContent("tr[data-kind=string] td.size");
  assert.equal(await size(), "16");
  await page.focus("#goarch-select");
  await page.keyboard.press("ArrowDown"); // amd64 -> arm64
  await page.keyboard.press("ArrowDown"); // arm64 -> 386
  await page.waitForFunction(() => location.search === "?goarch=386");
  assert.equal(await size(), "8");
  await page.reload();
  await page.waitForSelector("html[data-islands=live] main h1");
  assert.equal(await size(), "8");
  assert.equal(await page.inputValue("#goarch-select"), "386");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("a malformed GOARCH in a shared link opens the defaults with a notice", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/embed/value-table?goarch=%3Cscript%3E");
  const notice = await page.textContent(".notice");
  assert.match(notice, /Go does not know/);
  assert.match(notice, /Allowed: amd64, arm64, 386, arm, wasm/);
  assert.equal(await page.textContent("tr[data-kind=string] td.size"), "16");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("every page's text is in its HTML, and each widget has a still of itself", async () => {
  for (const path of pages) {
    const html = await (await fetch(server.url + path)).text();
    const page = await openPage(browser, { javaScriptEnabled: false });
    await page.goto(server.url + path);
    const h1 = await page.textContent("main h1");
    assert.ok(h1.trim().length > 0, `${path} has its heading without scripts`);
    assert.ok(html.includes(`<title>${h1} · Gopherscope</title>`), `${path}'s title is in the HTML`);
    assert.ok((await page.textContent("main")).length > 500, `${path}'s prose is in the HTML`);
    // Each island holds the widget's first frame, inert until the wasm mounts it.
    for (const island of await page.$$("[data-gopherscope]")) {
      assert.ok((await island.$("[inert]")) !== null, `${path}: an island without its still`);
    }
    await page.context().close();
  }
  const gc = await (await fetch(server.url + "/gc")).text();
  assert.match(gc, /Tricolor marking/);
  assert.match(gc, /data-gopherscope="gc-marking"/);
});

test("a browser without WebAssembly reads the page and each widget says why it stays still", async () => {
  const page = await openPage(browser);
  await page.addInitScript(() => {
    delete window.WebAssembly;
  });
  await page.goto(server.url + "/gc");
  await page.waitForSelector("[data-gopherscope] .startup-error[role=alert]");
  assert.match(await page.textContent(".startup-error"), /needs WebAssembly/);
  assert.equal(await page.locator("[data-gopherscope] .startup-error").count(), 2);
  assert.match(await page.textContent("main"), /Tricolor marking/);
  await page.context().close();
});

test("after one visit the whole site opens offline", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/");
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.context().setOffline(true);
  for (const [path, h1] of [["/gc", "The garbage collector"], ["/embed/quiz", "Quiz: the Go runtime in five questions"]]) {
    await load(page, server.url + path);
    assert.equal(await page.textContent("main h1"), h1, `${path} offline`);
  }
  // An address the site does not have: its not-found page, offline too.
  await load(page, server.url + "/no-such-page");
  assert.equal(await page.textContent("main h1"), "Page not found");
  await page.context().close();
});

test("crawlers get robots.txt, a sitemap of every page, and precompressed files", async () => {
  const robots = await (await fetch(server.url + "/robots.txt")).text();
  assert.match(robots, /^Sitemap: .*\/sitemap\.xml$/m);
  const sitemap = await (await fetch(server.url + "/sitemap.xml")).text();
  for (const path of pages) assert.ok(sitemap.includes(`${path}</loc>`), `${path} in the sitemap`);
  const html = await (await fetch(server.url + "/gc")).text();
  const wasm = html.match(/\/[\w-]+_bg\.wasm/)[0];
  // The wasm loads after the page's text has shown (a preload would count
  // into Lighthouse's largest paint): no preload, the loader waits for load.
  // It is a file (the policy allows no inline script), told the bundle and
  // the bundle's integrity.
  assert.doesNotMatch(html, /rel="(module)?preload"/);
  assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/, "an inline script");
  const loader = html.match(/<script src="(\/start-\w+\.js)"[^>]*data-gopherscope-loader[^>]*>/);
  assert.ok(loader, "the loader script");
  assert.match(loader[0], /data-module="\/gopherscope-[\w-]+\.js" data-module-integrity="sha384-[\w+/=]+"/);
  assert.match(loader[0], /data-wasm="\/gopherscope-[\w-]+_bg\.wasm" data-wasm-integrity="sha384-[\w+/=]+"/);
  assert.match(await (await fetch(server.url + loader[1])).text(), /addEventListener\("load", later\)/);
  for (const suffix of [".gz", ".br"]) {
    const r = await fetch(server.url + wasm + suffix);
    assert.equal(r.status, 200, `${wasm}${suffix}`);
  }
});
