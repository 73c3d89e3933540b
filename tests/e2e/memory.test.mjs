// The Memory page's widgets in a real browser: the allocator, the stack and
// the escape catalogue, each by keyboard alone; their state in the URL
// surviving a reload; and malformed URL state opening the defaults with a
// notice.
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

/** Presses Tab until the focused element matches `selector`. */
async function tabTo(page, selector, max = 60) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press("Tab");
  }
  assert.fail(`Tab never reached ${selector}`);
}

const param = (page, key) => page.evaluate((k) => new URLSearchParams(location.search).get(k), key);

test("the allocator works by keyboard and its state survives a reload", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/memory");
  const summary = () => page.textContent(".alloc-summary");
  assert.match(await summary(), /33 B without pointers: size class 5, a 48 B slot, 15 B wasted/);

  await page.focus("#stack-frame"); // start above the widget and Tab down to it
  await tabTo(page, "#alloc-size");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("100");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("size") === "100");
  assert.match(await summary(), /size class 9, a 112 B slot, 12 B wasted/);
  assert.equal(await page.getAttribute("tr.current", "data-class"), "9");

  // A bad entry: a message naming what is allowed, the result kept.
  await page.keyboard.type("k");
  assert.match(await page.textContent("#alloc-size-error"), /"100k" is not allowed: The size must be a whole number from 0 to 1099511627776/);
  assert.equal(await page.getAttribute("#alloc-size", "aria-invalid"), "true");
  assert.match(await summary(), /size class 9/);
  await page.keyboard.press("Backspace");
  assert.equal((await page.textContent("#alloc-size-error")).trim(), "");

  await tabTo(page, "#alloc-pointers");
  await page.keyboard.press("Space");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("pointers") === "1");
  assert.match(await summary(), /100 B with pointers: size class 9/);

  // The animation: Tab to "Step forward", Enter steps.
  await tabTo(page, ".alloc-anim button[aria-label='Step forward']");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("alloc-step") === "2");
  const narration = await page.textContent(".alloc-anim .narration");
  assert.match(narration, /^Step 2: .*mcache\.refill \(runtime\/mcache\.go\)/);

  await page.reload();
  await page.waitForSelector("html[data-islands=live] main h1");
  assert.equal(await page.inputValue("#alloc-size"), "100");
  assert.equal(await page.isChecked("#alloc-pointers"), true);
  assert.match(await summary(), /100 B with pointers: size class 9/);
  assert.match(await page.textContent(".alloc-anim .narration"), /^Step 2:/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("the stack grows by keyboard, and a reload opens the same moment", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/embed/stack");
  const size = () => page.textContent(".stack-size");
  assert.match(await size(), /\(2048 B\)/);
  await tabTo(page, "#stack-depth");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("1001");
  assert.match(await page.textContent("#stack-depth-error"), /out of range: The depth must be a whole number from 1 to 1000/);
  await page.keyboard.press("Backspace");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("depth") === "100");
  await tabTo(page, ".stack-anim button[aria-label='Step forward']");
  for (let i = 0; i < 5; i++) await page.keyboard.press("Enter");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("stack-step") === "5");
  assert.match(await size(), /\(4096 B\)/);
  assert.match(await page.textContent(".stack-anim .narration"), /newstack .*copystack/);
  // "k" plays from a focused player button; it runs on and pauses again.
  await page.keyboard.press("k");
  await page.waitForFunction(() => Number(new URLSearchParams(location.search).get("stack-step")) > 6);
  await page.keyboard.press("k");
  const paused = await param(page, "stack-step");
  await page.waitForTimeout(800);
  assert.equal(await param(page, "stack-step"), paused, "paused");

  await page.reload();
  await page.waitForSelector("html[data-islands=live] main h1");
  assert.equal(await page.inputValue("#stack-depth"), "100");
  assert.match(await page.textContent(".step-count"), new RegExp(`^${paused} / `));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("the escape catalogue is picked by keyboard and kept in the URL", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/embed/escape");
  assert.match(await page.textContent("pre.verdict"), /moved to heap: p/);
  await tabTo(page, "#escape-case");
  await page.keyboard.press("ArrowDown");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("escape") === "closure-capture");
  assert.match(await page.textContent("pre.verdict"), /\.\/main\.go:5: moved to heap: n/);
  assert.match(await page.textContent(".src-line.current"), /▶.*n := 0/);
  await page.reload();
  await page.waitForSelector("html[data-islands=live] main h1");
  assert.equal(await page.inputValue("#escape-case"), "closure-capture");
  assert.match(await page.textContent(".why"), /closure keeps using n/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("malformed state in a shared link opens each widget's defaults with a notice", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/memory?size=1e3&run=fast&depth=0&frame-bytes=x&stack-step=-2&escape=%3Cb%3E");
  const notices = (await page.$$eval(".notice", (ns) => ns.map((n) => n.textContent))).join("\n");
  assert.match(notices, /The link's size is not usable \("1e3" is not allowed/);
  assert.match(notices, /There is no run "fast"/);
  assert.match(notices, /The link's depth is not usable/);
  assert.match(notices, /The link's frame-bytes is not usable/);
  assert.match(notices, /stack-step is not a number/);
  assert.match(notices, /no escape example "<b>"/);
  assert.match(await page.textContent(".alloc-summary"), /^33 B without pointers/);
  assert.match(await page.textContent(".stack-size"), /\(2048 B\)/);
  assert.match(await page.textContent("pre.verdict"), /moved to heap: p/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
