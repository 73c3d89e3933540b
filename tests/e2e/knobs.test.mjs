// The knobs page in a real browser: the build explorer by keyboard alone,
// its state in the URL (reload and a copied link restore it), a Try-it link,
// a malformed link, the toolchain excerpts, and what happens when the data
// file cannot be fetched (an error with a retry that works).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, openPage, load } from "./harness.mjs";

let server, browser;

before(async () => {
  server = await serve();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const build = (page) => page.getAttribute("[data-build]", "data-build");

/** Presses Tab until the element with `id` has focus. */
async function tabTo(page, id) {
  for (let i = 0; i < 120; i++) {
    if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
    await page.keyboard.press("Tab");
  }
  assert.fail(`Tab never reached #${id}`);
}

test("the build explorer works by keyboard alone and keeps its state in the URL", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/knobs");
  await page.waitForSelector("[data-build]");
  assert.equal(await build(page), "hello.linux-amd64.cgo1.nosw.nox", "unset CGO_ENABLED natively with gcc: 1");

  await tabTo(page, "bx-program");
  await page.keyboard.press("ArrowDown"); // hello -> netserver
  await page.waitForFunction(() => location.search.includes("program=netserver"));
  await tabTo(page, "bx-cgo");
  await page.keyboard.press("ArrowDown"); // unset -> 0
  await page.waitForFunction(() => location.search.includes("cgo=0"));
  assert.equal(await build(page), "netserver.linux-amd64.cgo0.nosw.nox");
  assert.match(await page.textContent(".linking"), /static/);
  assert.match(await page.textContent(".scratch"), /✓ Runs on an empty scratch image/);

  await page.keyboard.press("ArrowDown"); // 0 -> 1
  await page.waitForFunction(() => location.search.includes("cgo=1"));
  assert.match(await page.textContent(".linking"), /dynamic/);
  assert.match(await page.textContent(".scratch"), /✗ Does not run/);
  assert.match(await page.textContent(".explorer .narration"), /dynamically linked, does not run on an empty scratch image/);

  await tabTo(page, "bx-strip");
  await page.keyboard.press("Space");
  await page.waitForFunction(() => location.search.includes("strip=1"));
  assert.equal(await build(page), "netserver.linux-amd64.cgo1.sw.nox");
  assert.match(await page.textContent(".symbols"), /stripped/);
  assert.match(await page.textContent(".size"), /against the default build/);

  // The URL is the state: a reload opens the same build with the same controls.
  const url = page.url();
  await page.reload();
  await page.waitForSelector("[data-build]");
  assert.equal(page.url(), url);
  assert.equal(await build(page), "netserver.linux-amd64.cgo1.sw.nox");
  assert.equal(await page.inputValue("#bx-program"), "netserver");
  assert.equal(await page.inputValue("#bx-cgo"), "1");
  assert.equal(await page.isChecked("#bx-strip"), true);
  assert.equal(await page.isChecked("#bx-x"), false);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("Copy link gives a URL that restores the explorer's exact state", async () => {
  const page = await openPage(browser, { permissions: ["clipboard-read", "clipboard-write"] });
  await load(page, server.url + "/embed/build-explorer?program=netserver&target=windows-amd64&x=1");
  await page.waitForSelector("[data-build]");
  await page.click(".explorer .copy-link button");
  await page.waitForSelector(".copy-status:has-text('Link copied')");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const other = await openPage(browser);
  await load(other, copied);
  await other.waitForSelector("[data-build]");
  assert.equal(await build(other), "netserver.windows-amd64.cgo0.nosw.x");
  assert.match(await other.textContent(".scratch"), /does not apply/);
  assert.deepEqual([...page.errors, ...other.errors], []);
  await other.context().close();
  await page.context().close();
});

test("a Try-it link presets the explorer and brings it into focus", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/knobs");
  await page.waitForSelector("[data-build]");
  await page.click("#knob-cgo-enabled a.try-it >> text=CGO_ENABLED=0");
  await page.waitForFunction(() => location.search === "?program=netserver&cgo=0");
  // A link in the page's static text loads the page anew: wait for its widgets.
  await page.waitForSelector("html[data-islands=live] [data-build]");
  assert.equal(await build(page), "netserver.linux-amd64.cgo0.nosw.nox");
  await page.waitForFunction(() => document.activeElement?.id === "build-explorer");
  // Links to other pages carry the preset in their query.
  const gc = await page.getAttribute("#knob-gomemlimit a.try-it", "href");
  assert.equal(gc, "/gc?gogc=off&gomemlimit=512MiB&gctrace=1#gc-pacer");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("a malformed link opens the explorer's defaults with a notice", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/embed/build-explorer?target=plan9-386&strip=yes");
  await page.waitForSelector("[data-build]");
  const notices = await page.$$eval(".explorer .notice", (ns) => ns.map((n) => n.textContent).join(" "));
  assert.match(notices, /There is no target "plan9-386"/);
  assert.match(notices, /Allowed: linux-amd64, linux-arm64, windows-amd64, darwin-arm64/);
  assert.match(notices, /only 0 \(off\) and 1 \(on\)/);
  assert.equal(await build(page), "hello.linux-amd64.cgo1.nosw.nox");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("the toolchain section shows every tool of the data with its real output", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/knobs");
  await page.waitForSelector("section.tool");
  const ids = await page.$$eval("section.tool", (ss) => ss.map((s) => s.id));
  assert.deepEqual(ids, ["tool-compile", "tool-link", "tool-nm", "tool-version", "tool-pprof", "tool-trace"]);
  assert.match(await page.textContent("#tool-nm pre"), /main\.version/);
  assert.match(await page.textContent("#tool-pprof figcaption"), /differ on every run/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("when the data cannot be fetched, the page says so and Try again recovers", async () => {
  const page = await openPage(browser);
  let fail = true;
  await page.route("**/data/build-explorer.json", (route) =>
    fail ? route.fulfill({ status: 500, body: "broken" }) : route.continue(),
  );
  await load(page, server.url + "/knobs?program=netserver");
  const alert = page.locator(".build-explorer .data-error[role=alert]");
  await alert.waitFor();
  assert.match(await alert.textContent(), /The build records could not be shown/);
  assert.match(await alert.textContent(), /500/);
  // The rest of the page still works: the knobs and the toolchain.
  assert.equal(await page.locator(".knob").count(), 12);
  await page.waitForSelector("section.tool");

  fail = false;
  await alert.locator("button").focus();
  await page.keyboard.press("Enter");
  await page.waitForSelector("[data-build]");
  assert.equal(await build(page), "netserver.linux-amd64.cgo1.nosw.nox");
  assert.equal(await page.locator(".data-error").count(), 0);
  // Only the browser's own report of the 500 reached the console.
  assert.ok(page.errors.every((e) => /status of 500/.test(e)), page.errors.join("\n"));
  await page.context().close();
});

test("a link to a widget on another page lands on that widget, in view and focused", async () => {
  // It used to open /gc?preset=leak at the top of the page, with the pacer it
  // set up about 2,000 px further down.
  const page = await openPage(browser);
  await load(page, server.url + "/diagnose");
  const link = page.locator(".guide", { hasText: "Memory keeps growing" }).locator("a", { hasText: "See the problem" });
  assert.equal(await link.getAttribute("href"), "/gc?workload=leak#gc-pacer");
  await link.click();
  await page.waitForFunction(() => document.activeElement?.id === "gc-pacer");
  assert.equal(await page.evaluate(() => location.pathname + location.search + location.hash), "/gc?workload=leak#gc-pacer");
  const inView = () =>
    page.evaluate(() => {
      const r = document.getElementById("gc-pacer").getBoundingClientRect();
      return r.top > -2 && r.top < innerHeight;
    });
  assert.ok(await inView(), "the pacer is in view");
  // The anchor is focused once the islands are mounted; the pacer's first
  // live render (which sets up the link's workload over the static page's
  // default) can come a moment later, after a heavier island on the page.
  await page.waitForFunction(() => document.querySelector("#pacer-preset")?.value === "leak", null, { timeout: 10000 });
  assert.equal(await page.inputValue("#pacer-preset"), "leak");
  assert.equal(await page.locator("#gc-marking .notice").count(), 0, "the marking widget has nothing to say");
  // Opened fresh (a shared link, a new tab), it lands the same way.
  const fresh = await openPage(browser);
  await load(fresh, server.url + "/gc?workload=leak#gc-pacer");
  await fresh.waitForFunction(() => document.activeElement?.id === "gc-pacer");
  assert.ok(
    await fresh.evaluate(() => {
      const r = document.getElementById("gc-pacer").getBoundingClientRect();
      return r.top > -2 && r.top < innerHeight;
    }),
    "a fresh load scrolls to the pacer",
  );
  assert.deepEqual([...page.errors, ...fresh.errors], []);
  await fresh.context().close();
  await page.context().close();
});
