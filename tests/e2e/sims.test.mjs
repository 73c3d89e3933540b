// The simulation widgets in a real browser: the scheduler's keyboard
// shortcuts, knobs and shared moments; the marking widget's barrier switch
// and predict-then-reveal checkpoint; the pacer's knobs and Go's rules.
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

const stepInUrl = (page) => page.evaluate(() => new URLSearchParams(location.search).get("step"));

test("the scheduler steps by keyboard, and a shared link opens the same moment", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/scheduler?preset=spawn-order&n=3");
  await page.focus("[aria-label='Step forward']");
  for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowRight");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("step") === "4");
  const narration = await page.textContent(".scheduler-widget .narration");
  assert.match(narration, /^Step 4/);
  await page.keyboard.press("ArrowLeft");
  assert.equal(await stepInUrl(page), "3");
  // Reload: the same moment, the same words.
  const url = page.url();
  const again = await openPage(browser);
  await load(again, url);
  assert.equal(await again.textContent(".scheduler-widget .narration"), await page.textContent(".scheduler-widget .narration"));
  await page.keyboard.press("Home");
  // Step 0 is the default, which links leave out.
  await page.waitForFunction(() => !new URLSearchParams(location.search).has("step"));
  assert.equal(await stepInUrl(page), null);
  assert.deepEqual(page.errors, []);
  for (const p of [page, again]) await p.context().close();
});

test("the GOMAXPROCS knob and the preset change the lanes; play runs to the end", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/scheduler?preset=fan-out");
  assert.equal(await page.locator(".scheduler-widget .lane").count(), 4);
  await page.selectOption("#sched-procs", "8");
  await page.waitForFunction(() => document.querySelectorAll(".scheduler-widget .lane").length === 8);
  // Another preset keeps the GOMAXPROCS knob; play it at 64x to its end.
  await page.selectOption("#sched-preset", "spawn-order");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("preset") === "spawn-order");
  assert.equal(await page.locator(".scheduler-widget .lane").count(), 8);
  await page.selectOption(".scheduler-widget .speed select", "8");
  await page.click(".scheduler-widget .play");
  await page.waitForFunction(() => document.querySelector(".scheduler-widget .play").textContent.includes("Play"), null, { timeout: 20000 });
  const [at, last] = (await page.textContent(".scheduler-widget .step-count")).split(" / ");
  assert.equal(at, last, "playback stops at the last step");
  assert.match(await page.textContent(".sched-now code"), /^SCHED \d+ms: gomaxprocs=8 idleprocs=\d+ threads=\d+ spinningthreads=\d+ needspinning=\d idlethreads=\d+ runqueue=\d+ \[/m);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("with no write barrier the hidden pointer's object is lost and the checker names the edge", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/gc?preset=hide-pointer&barrier=none");
  await page.focus(".gc-mark [aria-label='Step forward']");
  const last = Number((await page.textContent(".gc-mark .step-count")).split(" / ")[1]);
  for (let i = 0; i < last; i++) await page.keyboard.press("ArrowRight");
  await page.waitForSelector(".heap-graph .obj.lost");
  assert.match(await page.textContent(".heap-graph .obj.lost .name"), /o2 LOST/);
  assert.match(await page.textContent(".gc-mark [role=alert]"), /o0\.0 → o2/);
  // The same run with Go's hybrid barrier loses nothing.
  await page.selectOption("#gc-barrier", "hybrid");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("barrier") === "hybrid");
  await page.focus(".gc-mark [aria-label='Step forward']");
  for (let i = 0; i < last; i++) await page.keyboard.press("ArrowRight");
  assert.equal(await stepInUrl(page), String(last));
  assert.equal(await page.locator(".heap-graph .obj.lost").count(), 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("a 2,000-object heap is drawn on a canvas whose counts follow the steps", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/gc?preset=large-random&step=400");
  await page.waitForSelector(".gc-mark canvas.heap-canvas");
  // No SVG graph at this size: a canvas, labelled with the counts.
  assert.equal(await page.locator(".gc-mark .heap-graph").count(), 0);
  const counts = async () => {
    const label = await page.getAttribute(".gc-mark .heap-canvas", "aria-label");
    const m = label.match(/graph of (\d+) objects: (\d+) white, (\d+) grey, (\d+) black, (\d+) freed/);
    assert.ok(m, label);
    const [total, ...rest] = m.slice(1).map(Number);
    assert.equal(rest.reduce((a, b) => a + b, 0), total, "every object is counted once");
    assert.match(await page.textContent(".gc-mark .census"), new RegExp(`white ${rest[0]} .* grey ${rest[1]} .* black ${rest[2]} .* freed ${rest[3]}`));
    return { total, white: rest[0], grey: rest[1], black: rest[2], freed: rest[3] };
  };
  // Counts pixels of the drawing in the page: "inked" ones (drawn at all)
  // or "dark" ones (near black). The drawing is the canvas and the layers
  // over it (objects, rings), composed as the page shows them.
  await page.evaluate(() => {
    window.__pixels = (what) => {
      const layers = document.querySelectorAll(".gc-mark .heap-canvas-wrap canvas");
      const c = document.createElement("canvas");
      [c.width, c.height] = [layers[0].width, layers[0].height];
      const ctx = c.getContext("2d");
      for (const l of layers) ctx.drawImage(l, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) {
        const inked = d[i + 3] !== 0;
        const dark = d[i + 3] === 255 && d[i] < 60 && d[i + 1] < 60 && d[i + 2] < 60;
        if (what === "dark" ? dark : inked) n++;
      }
      return n;
    };
  });
  const inked = () => page.evaluate(() => window.__pixels("inked"));
  const before = await counts();
  assert.ok(before.total >= 2000, `${before.total} objects (2,000 and what the mutator allocated)`);
  assert.ok(before.black > 0 && before.white > 0, JSON.stringify(before));
  // The canvas has a drawing, and stepping forward through marking
  // blackens objects.
  const pixels = await inked();
  assert.ok(pixels > 10000, `the canvas has a drawing (${pixels} pixels)`);
  await page.focus(".gc-mark [aria-label='Step forward']");
  for (let i = 0; i < 40; i++) await page.keyboard.press("ArrowRight");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("step") === "440");
  const after = await counts();
  assert.ok(after.black > before.black, `${before.black} -> ${after.black} black`);
  // Every pointer, on request (by keyboard): more of the canvas is inked.
  await page.focus(".gc-mark input.all-pointers");
  const few = await inked();
  await page.keyboard.press("Space");
  await page.waitForFunction(() => document.querySelector(".gc-mark input.all-pointers").checked);
  await page.waitForFunction((few) => window.__pixels("inked") > few * 1.2, few);
  // A change of colour scheme redraws it in the new theme's colours: the
  // outlines turn light, so dark pixels become far fewer.
  const inLight = await page.evaluate(() => window.__pixels("dark"));
  await page.emulateMedia({ colorScheme: "dark" });
  await page.waitForFunction((before) => window.__pixels("dark") < before * 0.7, inLight);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("marking jumps to the next phase (p) and the next barrier shade (b); labels follow the barrier", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/gc?heap=hide-pointer&barrier=hybrid");
  await page.focus(".gc-mark [aria-label='Step forward']");
  await page.keyboard.press("p");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("step") === "1");
  assert.match(await page.textContent(".gc-mark .phase-banner"), /Phase: sweep termination/);
  await page.keyboard.press("b");
  await page.waitForFunction(() => Number(new URLSearchParams(location.search).get("step")) > 1);
  assert.match(await page.textContent(".gc-mark .narration"), /hybrid write barrier shades o2 grey/);
  // The same scenario with no barrier: nothing to jump to, and no "ON".
  await load(page, server.url + "/gc?heap=hide-pointer&barrier=none&step=8");
  assert.equal(await page.locator(".gc-mark .next-shade").isDisabled(), true);
  const banner = await page.textContent(".gc-mark .phase-banner");
  assert.match(banner, /no write barrier/);
  assert.doesNotMatch(banner, /ON/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("predict-then-reveal: the step waits for the learner's answer about the barrier", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/gc?preset=hide-pointer&barrier=hybrid&predict=1");
  await page.focus(".gc-mark [aria-label='Step forward']");
  for (let i = 0; i < 40 && !(await page.locator(".checkpoint").count()); i++) await page.keyboard.press("ArrowRight");
  const before = await stepInUrl(page);
  await page.keyboard.press("ArrowRight");
  assert.equal(await stepInUrl(page), before, "no step until the prediction is in");
  // The question names the write; one answer, from choices that do not
  // depend on the barrier.
  assert.match(await page.textContent(".checkpoint legend"), /o0\.0 = o2 \(it held nil\)/);
  await page.locator(".checkpoint input[type=radio]").first().check();
  await page.click("text=Check my prediction");
  await page.waitForSelector(".gc-mark .feedback");
  assert.match(await page.textContent(".gc-mark .feedback"), /(Right|Not quite).*So the write shades o2\./);
  await page.focus(".gc-mark [aria-label='Step forward']");
  await page.keyboard.press("ArrowRight");
  assert.equal(Number(await stepInUrl(page)), Number(before ?? 0) + 1);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("the pacer refuses a GOGC outside Go's syntax, keeps the chart, and its sliders move the goal", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/gc?preset=steady");
  const cycles = async () => Number(await page.textContent(".readouts div:first-child dd"));
  const base = await cycles();
  await page.fill("input[aria-label='GOGC value']", "fast");
  await page.press("input[aria-label='GOGC value']", "Enter");
  await page.waitForSelector(".gc-pacer [role=alert]");
  assert.match(await page.textContent(".gc-pacer [role=alert]"), /GOGC must be "off" or a decimal integer/);
  assert.equal(await cycles(), base, "the last valid run stays");
  await page.fill("input[aria-label='GOGC value']", "400");
  await page.press("input[aria-label='GOGC value']", "Enter");
  await page.waitForFunction((b) => Number(document.querySelector(".readouts div:first-child dd").textContent) < b, base);
  // The GOMEMLIMIT slider by keyboard.
  await page.focus("#limit-slider");
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("gomemlimit") === "96MiB");
  assert.match(await page.textContent(".readouts"), /GOMEMLIMIT=96 MiB/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("predict-then-reveal in the scheduler: which goroutine runs next?", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/scheduler?preset=spawn-order&n=3&predict=1");
  await page.focus(".scheduler-widget [aria-label='Step forward']");
  for (let i = 0; i < 80 && !(await page.locator(".scheduler-widget .checkpoint").count()); i++) await page.keyboard.press("ArrowRight");
  assert.equal(await page.locator(".scheduler-widget .checkpoint").count(), 1, "a checkpoint comes up before an execute");
  const before = await stepInUrl(page);
  await page.keyboard.press("ArrowRight");
  assert.equal(await stepInUrl(page), before, "no step until the prediction is in");
  await page.locator(".scheduler-widget .checkpoint input[type=radio]").first().check();
  await page.click(".scheduler-widget >> text=Check my prediction");
  await page.waitForSelector(".scheduler-widget .feedback");
  assert.match(await page.textContent(".scheduler-widget .feedback"), /runs next/);
  await page.focus(".scheduler-widget [aria-label='Step forward']");
  await page.keyboard.press("ArrowRight");
  assert.equal(Number(await stepInUrl(page)), Number(before ?? 0) + 1);
  assert.match(await page.textContent(".scheduler-widget .narration"), /runqget|globrunqget|runqsteal/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("Diagnose: each guided scenario opens the problem and the fix, and the traps are checks", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/diagnose");
  assert.equal(await page.locator(".guide").count(), 6);
  // The leak: the fix levels the heap (the model measures it on the page).
  const leak = page.locator(".guide", { hasText: "Memory keeps growing" });
  assert.match(await leak.locator(".effect").textContent(), /peak memory \d+ MiB → \d+ MiB/);
  await leak.locator("text=Apply the fix").click();
  await page.waitForSelector(".gc-pacer .readouts");
  assert.match(await page.textContent(".gc-pacer .readouts"), /leaks 0 MiB\/s/);
  await page.goBack();
  await page.waitForSelector(".trap-checks");
  const trap = page.locator(".trap").first();
  await trap.locator("button", { hasText: "Trap" }).click();
  assert.match(await trap.locator(".trap-why").textContent(), /a trap/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
