// The timeline strips of the scheduler and marking widgets (issue 12): the
// whole run at a glance, seekable by click, drag and keyboard, and drawn
// once per run: stepping moves only the cursor.
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

const stepInUrl = (page) => page.evaluate(() => Number(new URLSearchParams(location.search).get("step") ?? 0));
/// Waits until the URL's step is `n` (or, with `cmp` "<" or ">", below or
/// above it).
const waitStep = (page, n, cmp = "=") =>
  page.waitForFunction(
    ({ n, cmp }) => {
      const s = Number(new URLSearchParams(location.search).get("step") ?? 0);
      return cmp === "<" ? s < n : cmp === ">" ? s > n : s === n;
    },
    { n, cmp },
  );

/// The strip's frame, its box, and the room its row names take (SVG units
/// are pixels once measured: the viewBox is as wide as the frame).
async function geometry(page, frame) {
  const f = page.locator(frame);
  // The mouse only reaches what is on screen.
  await f.scrollIntoViewIfNeeded();
  const box = await f.boundingBox();
  const { viewWidth, cursor } = await f.evaluate((el) => ({
    viewWidth: Number(el.querySelector("svg").getAttribute("viewBox").split(" ")[2]),
    cursor: Number(el.querySelector(".strip-cursor").getAttribute("x1")),
  }));
  return { f, box, viewWidth, cursor };
}

test("the marking strip seeks to the step under a click, and by keyboard", async () => {
  const page = await openPage(browser, { viewport: { width: 900, height: 900 } });
  await load(page, server.url + "/embed/gc-marking?heap=large-random");
  const frame = ".gc-mark .strip-frame";
  await page.waitForSelector(frame);
  const gutter = 40;
  const last = Number(await page.getAttribute(frame, "aria-valuemax"));
  assert.ok(last > 1000, `${last}`);
  // Wait for the strip to measure itself: one column per pixel.
  await page.waitForFunction(
    (frame) => {
      const el = document.querySelector(frame);
      return Number(el.querySelector("svg").getAttribute("viewBox").split(" ")[2]) === el.clientWidth;
    },
    frame,
  );
  const { box, viewWidth } = await geometry(page, frame);
  const columns = viewWidth - gutter;
  assert.ok(columns > 300 && columns < last, `${columns} columns for ${last} steps`);
  // Column c shows the last step starting in it.
  const stepAt = (c) => {
    let s = 0;
    while (s + 1 <= last && Math.floor(((s + 1) * columns) / (last + 1)) <= c) s++;
    return s;
  };
  const scale = box.width / viewWidth;
  const column = 200;
  await page.mouse.click(box.x + (gutter + column + 0.5) * scale, box.y + box.height / 2);
  await waitStep(page, stepAt(column));
  assert.equal(Number(await page.getAttribute(frame, "aria-valuenow")), stepAt(column));
  assert.match(await page.getAttribute(frame, "aria-valuetext"), new RegExp(`^step ${stepAt(column)} of ${last}: `));
  // The cursor is drawn in the column clicked.
  const { cursor } = await geometry(page, frame);
  assert.equal(cursor, gutter + column + 0.5);
  // The click focused the strip: arrows move it one column, not one step.
  assert.equal(await page.evaluate(() => document.activeElement.className), "strip-frame");
  await page.keyboard.press("ArrowRight");
  await waitStep(page, stepAt(column + 1));
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  await waitStep(page, stepAt(column - 1));
  await page.keyboard.press("PageDown");
  await waitStep(page, stepAt(column - 1 + Math.floor(columns / 10)));
  await page.keyboard.press("End");
  await waitStep(page, last);
  await page.keyboard.press("Home");
  await waitStep(page, 0);
  // The legend names every phase, each with its swatch.
  const legend = await page.textContent(".gc-strip .strip-legend");
  for (const phase of ["sweep termination", "mark", "mark termination", "sweep", "grey queue"]) {
    assert.ok(legend.includes(phase), `${phase} in ${legend}`);
  }
  assert.equal(await page.locator(".gc-strip .strip-legend .strip-swatch").count(), 8);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("the scheduler strip seeks by click and drag, and stepping moves only its cursor", async () => {
  const page = await openPage(browser, { viewport: { width: 900, height: 900 } });
  await load(page, server.url + "/scheduler?preset=syscall-handoff");
  const frame = ".scheduler-widget .strip-frame";
  await page.waitForSelector(frame);
  const last = Number(await page.getAttribute(frame, "aria-valuemax"));
  assert.equal(await page.locator(".sched-strip .sched-strip-body text", { hasText: "P0" }).count(), 1);
  assert.match(await page.getAttribute(frame, "aria-valuetext"), /^step 0 of \d+, 0 ns: /);
  // The lanes above change height from step to step: measure each time.
  let { box } = await geometry(page, frame);
  // Far right: the last step; far left, in the row names: step 0.
  await page.mouse.click(box.x + box.width - 0.5, box.y + 6);
  await waitStep(page, last);
  ({ box } = await geometry(page, frame));
  await page.mouse.click(box.x + 3, box.y + 6);
  await waitStep(page, 0);
  // Drag from a quarter to three quarters: the step follows the pointer.
  ({ box } = await geometry(page, frame));
  const y = box.y + 6;
  await page.mouse.move(box.x + box.width / 4, y);
  await page.mouse.down();
  await waitStep(page, 0, ">");
  const quarter = await stepInUrl(page);
  await page.mouse.move(box.x + (box.width * 3) / 4, y, { steps: 5 });
  await page.mouse.up();
  await waitStep(page, quarter, ">");
  const cursor = (await geometry(page, frame)).cursor;
  const view = (await geometry(page, frame)).viewWidth;
  assert.ok(cursor <= (view * 3) / 4 + 1, `the cursor (${cursor}) is at or before the pointer`);
  // Stepping with the player changes the cursor and nothing else drawn.
  await page.evaluate(() => {
    window.__stripChanges = [];
    const body = document.querySelector(".sched-strip-body");
    new MutationObserver((records) => window.__stripChanges.push(...records.map((r) => r.type))).observe(body, {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true,
    });
  });
  const before = await page.getAttribute(".scheduler-widget .strip-cursor", "x1");
  await page.click(".scheduler-widget [aria-label='Reset to the start']");
  await waitStep(page, 0);
  for (let i = 1; i <= 3; i++) {
    await page.click(".scheduler-widget [aria-label='Step forward']");
    await waitStep(page, i);
  }
  assert.notEqual(await page.getAttribute(".scheduler-widget .strip-cursor", "x1"), before);
  assert.deepEqual(await page.evaluate(() => window.__stripChanges), [], "the strip's body was redrawn");
  // The legend: every kind with a swatch, the marks too.
  const legend = await page.textContent(".sched-strip .strip-legend");
  for (const kind of ["runs a goroutine", "in a syscall", "looks for work", "idle", "steal", "handoff", "preemption"]) {
    assert.ok(legend.includes(kind), `${kind} in ${legend}`);
  }
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("the scheduler strip's keys seek in the strip and leave the player's alone", async () => {
  const page = await openPage(browser, { viewport: { width: 360, height: 800 } });
  await load(page, server.url + "/embed/scheduler?preset=preempt");
  const frame = ".scheduler-widget .strip-frame";
  await page.waitForSelector(frame);
  const last = Number(await page.getAttribute(frame, "aria-valuemax"));
  // It fits a phone's width.
  const box = await page.locator(frame).boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 360, JSON.stringify(box));
  await page.focus(frame);
  await page.keyboard.press("ArrowRight");
  await waitStep(page, 0, ">");
  const one = await stepInUrl(page);
  await page.keyboard.press("PageDown");
  await waitStep(page, one, ">");
  await page.keyboard.press("End");
  await waitStep(page, last);
  await page.keyboard.press("ArrowLeft");
  await waitStep(page, last, "<");
  assert.equal(Number(await page.getAttribute(frame, "aria-valuenow")), await stepInUrl(page));
  // A preemption is marked on the hog's row.
  assert.ok((await page.locator(".sched-strip-body path.mark-preempt").count()) === 1);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
