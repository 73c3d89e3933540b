// The marking widget's motion (issue 12): with motion on, a step's
// pointers travel, the barrier's shade pulses and sweep fades, on both
// drawings (the SVG graph of a small heap, the canvas of a big one);
// stepping back plays it too; under prefers-reduced-motion and with the
// player's Motion toggle off nothing moves and only the highlight is left.
//
// Each drawing counts the frames it drew in motion on its element as
// data-motion-frames; the SVG graph's moving pieces are elements
// (.ptr.travel, .pulse, .ptr-lit) that a MutationObserver sees come and go.
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

/// Starts recording which moving pieces appear under the marking widget.
const watch = (page) =>
  page.evaluate(() => {
    window.__seen = new Set();
    const root = document.querySelector(".gc-mark");
    const note = () => {
      for (const sel of [".ptr.travel", ".pulse", ".ptr-lit", ".obj[opacity]", ".ptr[opacity]", ".obj.hot"])
        if (root.querySelector(sel)) window.__seen.add(sel);
    };
    new MutationObserver(note).observe(root, { subtree: true, childList: true, attributes: true });
  });
const seen = (page) => page.evaluate(() => [...window.__seen].sort());
/// The moving pieces seen (the highlight, .obj.hot, is not one).
const moved = async (page) => (await seen(page)).filter((s) => s !== ".obj.hot");
const frames = (page, sel) => page.evaluate((sel) => Number(document.querySelector(sel).dataset.motionFrames ?? 0), sel);
const narration = (page) => page.textContent(".gc-mark .narration");
/// Long enough for a step's motion at 1x (300 ms) to end.
const settle = (page) => page.waitForTimeout(700);

/// hide-pointer under the hybrid barrier, at the step before G1's copy
/// of o1.0 is written into o0.
async function beforeTheCopy(page) {
  await load(page, server.url + "/embed/gc-marking?heap=hide-pointer&barrier=hybrid");
  await page.focus(".gc-mark [aria-label='Step forward']");
  for (let i = 0; i < 40 && !/loads o1\.0/.test(await narration(page)); i++) await page.keyboard.press("ArrowRight");
  assert.match(await narration(page), /loads o1\.0 \(o2\)/);
  await settle(page);
}

test("hide-pointer: the copied pointer travels, the barrier's shade pulses, and stepping back plays it backward", async () => {
  const page = await openPage(browser);
  await beforeTheCopy(page);
  await watch(page);
  const start = await frames(page, ".gc-mark .heap-graph");
  await page.keyboard.press("ArrowRight");
  // Mid-step: the pointer to o2 is on its way from o1 to o0.
  await page.waitForSelector(".gc-mark .heap-graph .ptr.travel", { timeout: 2000 });
  await settle(page);
  assert.match(await narration(page), /o0\.0/);
  const forward = await frames(page, ".gc-mark .heap-graph");
  assert.ok(forward - start >= 3, `${forward - start} frames of motion for one step`);
  // The motion has ended: the step's still picture, nothing moving.
  assert.equal(await page.locator(".gc-mark .heap-graph .ptr.travel").count(), 0);
  // The next write deletes o1's copy: it fades out, and the hybrid
  // barrier's shade of what it overwrote pulses.
  await page.keyboard.press("ArrowRight");
  await settle(page);
  assert.match(await narration(page), /o1\.0/);
  const s = await seen(page);
  assert.ok(s.includes(".ptr.travel") && s.includes(".ptr[opacity]"), s.join(" "));
  // Back: the same motion in reverse.
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  await page.waitForSelector(".gc-mark .heap-graph .ptr.travel", { timeout: 2000 });
  await settle(page);
  assert.ok((await frames(page, ".gc-mark .heap-graph")) > forward);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("a barrier shade pulses and sweep fades out what it frees", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/embed/gc-marking?heap=hide-pointer&barrier=hybrid");
  await page.focus(".gc-mark [aria-label='Step forward']");
  await watch(page);
  // b: to the next barrier shade, which is a jump (no motion); step back
  // and forward again to see it move.
  await page.keyboard.press("b");
  await settle(page);
  await page.keyboard.press("ArrowLeft");
  await settle(page);
  await page.evaluate(() => window.__seen.clear());
  await page.keyboard.press("ArrowRight");
  await page.waitForSelector(".gc-mark .heap-graph .pulse", { timeout: 2000 });
  await settle(page);
  // Sweep: jump phase by phase to sweep, then step until something is
  // freed (no-barrier hide-pointer frees o2; here the garbage is none, so
  // use the random heap, which always has garbage).
  await load(page, server.url + "/embed/gc-marking?heap=random");
  await page.focus(".gc-mark [aria-label='Step forward']");
  await watch(page);
  for (let i = 0; i < 4; i++) await page.keyboard.press("p");
  await settle(page);
  assert.match(await page.textContent(".gc-mark .phase-banner"), /Phase: sweep/);
  for (let i = 0; i < 30 && !(await seen(page)).includes(".obj[opacity]"); i++) {
    await page.keyboard.press("ArrowRight");
    await settle(page);
  }
  assert.ok((await seen(page)).includes(".obj[opacity]"), "a swept object faded out");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("the 2,000-object canvas moves too: frames are drawn in motion for a step", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/embed/gc-marking?heap=large-random&step=300");
  await page.focus(".gc-mark [aria-label='Step forward']");
  const c = ".gc-mark .heap-canvas";
  const start = await frames(page, c);
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press("ArrowRight");
    await settle(page);
  }
  const after = await frames(page, c);
  assert.ok(after - start >= 6, `${after - start} frames of motion for three steps`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

for (const [why, open] of [
  ["the system asks for reduced motion", (page) => load(page, server.url + "/embed/gc-marking?heap=hide-pointer&barrier=hybrid")],
  ["the player's Motion toggle is off", (page) => load(page, server.url + "/embed/gc-marking?heap=hide-pointer&barrier=hybrid&motion=off")],
]) {
  test(`nothing moves when ${why}: only the highlight`, async () => {
    const reduce = why.includes("reduced");
    const page = await openPage(browser, reduce ? { reducedMotion: "reduce" } : {});
    await open(page);
    await watch(page);
    await page.focus(".gc-mark [aria-label='Step forward']");
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press("ArrowRight");
      await page.waitForTimeout(60);
    }
    await settle(page);
    await page.keyboard.press("ArrowLeft");
    await settle(page);
    assert.deepEqual(await moved(page), [], "no moving piece appeared");
    assert.equal(await frames(page, ".gc-mark .heap-graph"), 0);
    // The highlight is still there: the touched objects' thick outline.
    assert.ok((await seen(page)).includes(".obj.hot"), "the highlight is shown");
    // And the canvas.
    await load(page, server.url + `/embed/gc-marking?heap=large-random&step=300${reduce ? "" : "&motion=off"}`);
    await page.focus(".gc-mark [aria-label='Step forward']");
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
    await settle(page);
    assert.equal(await frames(page, ".gc-mark .heap-canvas"), 0);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}
