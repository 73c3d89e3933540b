// The pacer in a real browser: its words follow the knobs, the chart
// zooms and pans by keyboard with the window in the URL, the floating
// garbage has its own band, and the latency chart sits next to the heap's.
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

const query = (page, key) => page.evaluate((k) => new URLSearchParams(location.search).get(k), key);

test("the description follows the knobs in force", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/gc?workload=leak&leak=0#gc-pacer");
  await page.waitForSelector(".gc-pacer .explanation");
  const leak = await page.textContent(".gc-pacer .explanation");
  assert.match(leak, /nothing leaks/);
  assert.doesNotMatch(leak, /4 MiB\/s/);
  await load(page, server.url + "/gc?gogc=off&gomemlimit=512MiB#gc-pacer");
  await page.waitForSelector(".gc-pacer .explanation");
  const off = await page.textContent(".gc-pacer .explanation");
  assert.match(off, /GOGC=off, GOMEMLIMIT=512MiB/);
  assert.doesNotMatch(off, /GOGC=100/);
  // A knob typed in: the words change with it.
  await page.fill("input[aria-label='GOGC value']", "200");
  await page.press("input[aria-label='GOGC value']", "Enter");
  await page.waitForFunction(() => document.querySelector(".gc-pacer .explanation").textContent.includes("GOGC=200"));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("the chart zooms and pans by keyboard, names the cycles in view, and the URL keeps the window", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/embed/gc-pacer");
  await page.waitForSelector(".gc-pacer .chart-keys");
  assert.ok(await page.locator(".pacer-chart polygon.floating").count() > 100, "a floating-garbage band per cycle");
  assert.match(await page.textContent(".gc-pacer .legend"), /floating garbage/);
  await page.focus(".gc-pacer .chart-keys");
  // Six presses faster than the widget renders (one script task, so no
  // render between them): each applies to the one before, none is lost.
  await page.evaluate(() => {
    const keys = document.querySelector(".gc-pacer .chart-keys");
    for (let i = 0; i < 6; i++) keys.dispatchEvent(new KeyboardEvent("keydown", { key: "+", bubbles: true }));
  });
  await page.waitForFunction(() => new URLSearchParams(location.search).get("zoom") === "64");
  const status = await page.textContent(".gc-pacer .window-status");
  assert.match(status, /^Showing [\d.]+ s to [\d.]+ s of 60 s: gc \d+ to gc \d+ \([2-4] of 213 cycles\)\.$/);
  assert.ok(await page.locator(".pacer-chart .mark-phase").count() >= 2, "the marks in view are shaded and named");
  const pan = Number(await query(page, "pan"));
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction((p) => Number(new URLSearchParams(location.search).get("pan")) > p, pan);
  // The words explain the first cycle in view.
  const first = status.match(/gc (\d+) to/)[1];
  const shown = await page.textContent(".gc-pacer .window-status");
  assert.match(await page.textContent(".gc-pacer .cycle-story"), new RegExp("^gc " + shown.match(/gc (\d+) to/)[1] + " \\("));
  assert.notEqual(shown, status, `panned from gc ${first}`);
  // Reload: the same window.
  const url = page.url();
  await load(page, url);
  await page.waitForSelector(".gc-pacer .window-status");
  assert.equal(await page.textContent(".gc-pacer .window-status"), shown);
  await page.focus(".gc-pacer .chart-keys");
  await page.keyboard.press("0");
  await page.waitForFunction(() => !new URLSearchParams(location.search).has("zoom"));
  assert.match(await page.textContent(".gc-pacer .window-status"), /^Showing the whole 60 s run/);
  // "3 cycles", by its button.
  await page.click(".gc-pacer button[aria-label='Zoom to 3 cycles']");
  await page.waitForFunction(() => new URLSearchParams(location.search).has("zoom"));
  assert.match(await page.textContent(".gc-pacer .window-status"), /\(\d of 213 cycles\)/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("the latency view shows pauses and assists per cycle, and says what GOGC does to them", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/embed/gc-pacer?workload=latency-spikes");
  await page.waitForSelector(".gc-pacer .latency-chart");
  const titles = await page.locator(".latency-chart .strip-title").allTextContents();
  assert.equal(titles.length, 3);
  assert.match(titles[0], /^GC CPU per cycle \(estimate\): up to \d+%/);
  assert.match(titles[1], /^Mark assists, CPU per cycle: up to [\d.]+ ms/);
  assert.match(titles[2], /^Stop-the-world pauses, each: up to 6\.2 ms/);
  assert.match(await page.textContent(".gc-pacer .latency-story"), /The worst is gc \d+: for its \d+ ms mark/);
  assert.match(await page.textContent(".gc-pacer .latency-what-if"), /with GOGC=200, \d+ of \d+ cycles have assists/);
  // The latency chart follows the heap chart's window.
  await page.focus(".gc-pacer .chart-keys");
  await page.keyboard.press("+");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("zoom") === "2");
  assert.match(await page.getAttribute(".latency-chart", "aria-label"), /^Latency per cycle, \d+ cycles in view/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("the heap's shape is three knobs in plain words, kept in the URL, and a shape that cannot be is said", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/embed/gc-pacer?workload=linked-list");
  await page.waitForSelector(".gc-pacer .heap-shape");
  assert.equal(await page.inputValue("#pacer-reach"), "list");
  assert.equal(await page.inputValue("#pacer-object"), "64");
  assert.match(await page.textContent(".gc-pacer .explanation"), /64 bytes, the first 8 bytes of each holding pointers, linked in one long chain/);
  const before = await page.textContent(".gc-pacer .readouts");
  await page.selectOption("#pacer-reach", "fanout");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("reach") === "fanout");
  await page.waitForFunction((b) => document.querySelector(".gc-pacer .readouts").textContent !== b, before);
  assert.match(await page.textContent(".gc-pacer .explanation"), /found through arrays of pointers/);
  // 16 pointer bytes in an 8-byte object: said, and the chart keeps the workload's shape.
  await page.fill("#pacer-object", "8");
  await page.press("#pacer-object", "Enter");
  await page.fill("#pacer-pointers", "16");
  await page.press("#pacer-pointers", "Enter");
  await page.waitForSelector(".gc-pacer .notice[role=alert]");
  assert.match(await page.textContent(".gc-pacer .notice[role=alert]"), /pointer bytes must be from 0 to the object's 8 bytes, got 16/);
  assert.equal(await query(page, "pointers"), "16");
  assert.match(await page.textContent(".gc-pacer .readouts"), /GC CPU \(estimate\)/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
