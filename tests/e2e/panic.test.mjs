// A panic in the browser: the page (or the embed) shows the error panel,
// announced, with a reload button that works by keyboard, and an embedded
// widget tells its host page. The panics come from the panic-probe site
// (crates/xtask/src/site.rs, panic_probe): the release build of one page and
// one embed with the test-only `panic-probe` feature, where
// `?gopherscope-panic=1` panics. `cargo xtask test e2e` builds it outside
// dist/ and names it in GOPHERSCOPE_PROBE (`cargo xtask panic-probe` builds
// it alone). The site's own bundles must ignore that query.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { serve, launch, openPage, load, DIST, ARTIFACTS } from "./harness.mjs";

const PROBE =
  process.env.GOPHERSCOPE_PROBE ??
  join(process.env.CARGO_TARGET_DIR ?? new URL("../../target", import.meta.url).pathname, "panic-probe");

let site, probe, host, browser;

before(async () => {
  assert.ok(
    (await stat(join(PROBE, "memory/index.html")).catch(() => null)) !== null,
    `no panic-probe site in ${PROBE}: run cargo xtask panic-probe (after cargo xtask build)`,
  );
  await mkdir(ARTIFACTS, { recursive: true });
  site = await serve();
  probe = await serve(PROBE);
  host = await serve();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await Promise.all([site, probe, host].map((s) => s?.close()));
});

const PANIC = "gopherscope-panic=1";

/** The wasm files under `dir`. */
async function wasmFiles(dir) {
  return (await readdir(dir)).filter((f) => f.endsWith(".wasm")).map((f) => join(dir, f));
}

test("the site's release bundles have no panic probe and ignore its query", async () => {
  const needle = Buffer.from("gopherscope-panic");
  const shipped = await wasmFiles(DIST);
  assert.ok(shipped.length > 5, `${shipped}`);
  for (const f of shipped) assert.equal((await readFile(f)).indexOf(needle), -1, `${f} has the probe`);
  // The probe's own bundle does have it (so the check above can fail).
  const probes = await wasmFiles(PROBE);
  assert.equal(probes.length, 1);
  assert.notEqual((await readFile(probes[0])).indexOf(needle), -1);

  for (const path of [`/memory?${PANIC}`, `/embed/allocator?${PANIC}`]) {
    const page = await openPage(browser, { serviceWorkers: "block" });
    await load(page, site.url + path);
    // Live (load waited for that), and no panel.
    assert.equal(await page.locator(".error-panel").count(), 0, path);
    assert.ok((await page.locator("[data-gopherscope]").count()) > 0, path);
    assert.deepEqual(page.errors, [], path);
    await page.context().close();
  }
});

/** Waits for the panel in `frame` (a page or a frame) and checks its words. */
async function checkPanel(frame, what) {
  const panel = frame.locator("main.error-panel[role=alert]");
  await panel.waitFor({ timeout: 20000 });
  assert.equal(await panel.locator("h1").textContent(), "Gopherscope stopped working", what);
  assert.match(await panel.locator("pre").textContent(), /the panic probe/, what);
  assert.equal(await panel.locator("button").textContent(), "Reload the page", what);
  return panel;
}

/** Presses Tab until the panel's reload button has focus. */
async function tabToReload(page, frame = page) {
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press("Tab");
    if (await frame.evaluate(() => document.activeElement?.textContent === "Reload the page")) return;
  }
  assert.fail("Tab never reached the reload button");
}

test("a panic on a page shows the panel, and its button reloads by keyboard", async () => {
  const page = await openPage(browser, { serviceWorkers: "block" });
  const refused = [];
  page.on("console", (m) => /Content Security Policy/.test(m.text()) && refused.push(m.text()));
  await page.goto(`${probe.url}/memory?${PANIC}`);
  await checkPanel(page, "page");
  assert.equal(await page.locator("[data-gopherscope]").count(), 0, "the panel replaces the page");
  assert.ok(page.errors.some((e) => /Gopherscope panicked: the panic probe/.test(e)), page.errors.join("\n"));

  await page.evaluate(() => (window.beforeReload = true));
  await tabToReload(page);
  await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);
  assert.equal(await page.evaluate(() => window.beforeReload), undefined, "the page reloaded");
  await checkPanel(page, "after the reload");
  assert.deepEqual(refused, [], "the panel runs under the site's policy");

  // Without the query the same build shows the page.
  await load(page, `${probe.url}/memory`);
  assert.equal(await page.locator(".error-panel").count(), 0);
  await page.context().close();
});

/** A page on `origin` with one iframe of `src`, recording its messages. */
async function hostPage(origin, src) {
  const page = await openPage(browser);
  await page.goto(`${origin}/__blank.html`);
  await page.evaluate((src) => {
    window.got = [];
    window.addEventListener("message", (e) => window.got.push({ origin: e.origin, data: e.data }));
    const f = document.createElement("iframe");
    f.id = "f";
    f.src = src;
    f.title = "widget";
    document.body.appendChild(f);
  }, src);
  return page;
}

test("a panic in an embed shows the panel there and tells the host that named itself", async () => {
  const src = `${probe.url}/embed/allocator?${PANIC}&origin=${encodeURIComponent(host.url)}&frame=p1`;
  const page = await hostPage(host.url, src);
  const frame = page.frameLocator("#f");
  await checkPanel(frame, "embed");
  await page.waitForFunction(() => window.got.some((m) => m.data?.type === "gopherscope:error"));
  const errors = await page.evaluate(() => window.got.filter((m) => m.data?.type === "gopherscope:error"));
  assert.equal(errors.length, 1);
  assert.equal(errors[0].origin, probe.url);
  assert.equal(errors[0].data.widget, "allocator");
  assert.equal(errors[0].data.frame, "p1");
  assert.match(errors[0].data.message, /the panic probe/);
  // The frame is sized for the panel.
  const sizes = await page.evaluate(() => window.got.filter((m) => m.data?.type === "gopherscope:resize"));
  assert.ok(sizes.length > 0 && sizes.at(-1).data.height > 100, JSON.stringify(sizes));

  // The reload button, by keyboard, reloads the frame: it panics again and says so again.
  await frame.locator("button", { hasText: "Reload the page" }).focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => window.got.filter((m) => m.data?.type === "gopherscope:error").length === 2);
  await checkPanel(frame, "embed after the reload");

  // The same embed on a page that is not the origin it names tells nobody.
  const stranger = await hostPage(site.url, src);
  await checkPanel(stranger.frameLocator("#f"), "misplaced embed");
  await stranger.waitForTimeout(300);
  assert.deepEqual(await stranger.evaluate(() => window.got.filter((m) => m.data?.type === "gopherscope:error")), []);
  await stranger.context().close();
  await page.context().close();
});

test("the panel fits a 360 px phone in light and dark", async () => {
  for (const scheme of ["light", "dark"]) {
    for (const [name, path] of [["page", `/memory?${PANIC}`], ["embed", `/embed/allocator?${PANIC}`]]) {
      const page = await openPage(browser, { viewport: { width: 360, height: 740 }, colorScheme: scheme, serviceWorkers: "block" });
      await page.goto(probe.url + path);
      await checkPanel(page, name);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      assert.ok(overflow <= 0, `${name} ${scheme}: ${overflow}px too wide`);
      await page.screenshot({ path: `${ARTIFACTS}panic-${name}-${scheme}-360.png`, fullPage: true });
      await page.context().close();
    }
  }
});
