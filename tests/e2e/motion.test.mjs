// Motion in the scheduler (kit/motion.rs): a goroutine or thread that a
// step moves travels there (a Web Animation with id "flip"); stepping back
// plays it backwards; at 8x each travel ends before the next step; with the
// system's reduced motion or the player's Motion toggle off (kept in the
// link as motion=off, operable by keyboard) nothing animates and the
// highlight stays.
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

const W = ".scheduler-widget";
const stepInUrl = (page) => page.evaluate(() => Number(new URLSearchParams(location.search).get("step") ?? 0));
const queryValue = (page, key) => page.evaluate((k) => new URLSearchParams(location.search).get(k), key);

/// The step of the first `kind` (steal, handoff) in `preset`, from the
/// player's "Next …" button.
async function firstMark(page, preset, kind) {
  await load(page, `${server.url}/scheduler?preset=${preset}&next=${kind}`);
  const text = await page.textContent(`${W} .player button:has-text('Next ${kind}')`);
  return Number(text.match(/step (\d+)/)[1]);
}

/// The chip travels running now: name, easing, duration.
const flips = (page) =>
  page.evaluate(() =>
    document
      .getAnimations()
      .filter((a) => a.id === "flip" && a.playState === "running")
      .map((a) => ({
        name: a.effect.target.dataset.flip,
        place: a.effect.target.dataset.place,
        easing: a.effect.getTiming().easing,
        duration: a.effect.getTiming().duration,
      })),
  );

/// Presses → (or ←) on the player and waits for the widget to show step
/// `to` (its step counter; the address bar follows within 250 ms).
async function step(page, key, to) {
  await page.focus(`${W} [aria-label='Step forward']`);
  await page.keyboard.press(key);
  await page.waitForFunction(
    ({ w, s }) => document.querySelector(`${w} .step-count`)?.textContent.split(" / ")[0] === String(s),
    { w: W, s: to },
  );
}

test("a steal: the stolen goroutines travel into the thief's lane, and back when stepping back", async () => {
  const page = await openPage(browser);
  const at = await firstMark(page, "work-stealing", "steal");
  await load(page, `${server.url}/scheduler?preset=work-stealing&step=${at - 1}`);
  assert.equal(await page.getAttribute(`${W} .motion-toggle`, "aria-pressed"), "true");
  await step(page, "ArrowRight", at);
  assert.match(await page.textContent(`${W} .narration`), /stolen from P\d/);
  const forward = await flips(page);
  assert.ok(forward.length > 0, "a chip travels on the steal step");
  assert.ok(
    forward.every((f) => f.name.startsWith("g")),
    `goroutine chips travel: ${JSON.stringify(forward)}`,
  );
  // The highlight and the narration say it too.
  assert.ok((await page.locator(`${W} .g.moved`).count()) > 0);
  await page.waitForFunction(() => !document.getAnimations().some((a) => a.id === "flip"));
  await step(page, "ArrowLeft", at - 1);
  const backward = await flips(page);
  assert.ok(backward.length > 0, "stepping back travels too");
  assert.notEqual(backward[0].easing, forward[0].easing, "backward motion mirrors the forward easing");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("a syscall handoff: the thread and its goroutine leave the P, another thread takes it", async () => {
  const page = await openPage(browser);
  const at = await firstMark(page, "syscall-handoff", "handoff");
  await load(page, `${server.url}/scheduler?preset=syscall-handoff&step=${at - 1}`);
  await step(page, "ArrowRight", at);
  const moved = await flips(page);
  assert.ok(
    moved.some((f) => f.name.startsWith("m")),
    `a thread travels on the handoff: ${JSON.stringify(moved)} (${await page.textContent(`${W} .narration`)})`,
  );
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("at 8x every travel ends before the next step comes", async () => {
  const page = await openPage(browser);
  // Each travel's start (wall clock, step) and, if the widget finished it
  // early because a new step came, when and at which step.
  await page.addInitScript(() => {
    window.__travels = [];
    // The step the widget shows (the address bar may lag it by up to 250 ms).
    const step = () => document.querySelector(".scheduler-widget .step-count")?.textContent.split(" / ")[0];
    const animate = Element.prototype.animate;
    Element.prototype.animate = function (...args) {
      const a = animate.apply(this, args);
      if (a.id === "flip") window.__travels.push({ a, t0: performance.now(), step: step(), cut: null });
      return a;
    };
    const finish = Animation.prototype.finish;
    Animation.prototype.finish = function () {
      const t = window.__travels.find((x) => x.a === this);
      if (t && this.playState === "running") t.cut = { after: performance.now() - t.t0, step: step() };
      return finish.call(this);
    };
  });
  // From a little before the first steal, where goroutines start moving.
  const at = await firstMark(page, "work-stealing", "steal");
  await load(page, `${server.url}/scheduler?preset=work-stealing&step=${at - 10}`);
  await page.selectOption(`${W} .speed select`, "5"); // 8x
  await page.click(`${W} button.play`);
  await page.waitForTimeout(4000);
  await page.click(`${W} button.play`);
  await page.waitForTimeout(200);
  const travels = await page.evaluate(() =>
    window.__travels.map(({ a, step, cut }) => ({ duration: a.effect.getTiming().duration, step, cut, state: a.playState })),
  );
  assert.ok((await stepInUrl(page)) > at + 20, "it played");
  assert.ok(travels.length > 10, `chips travelled at 8x (${travels.length})`);
  const frame = 1000 / 60;
  const tick = 50; // the player's clock: steps at 8x come 50 or 100 ms apart
  for (const t of travels) {
    assert.ok(t.duration + frame <= tick, `a travel at 8x lasts at most a tick less a frame: ${t.duration} ms`);
    if (!t.cut) continue;
    // Only a new step may end a travel early...
    assert.notEqual(t.cut.step, t.step, `a re-render of step ${t.step} cut its travel short`);
    // ...and a step a whole tick later comes after the travel could end,
    // had the browser started it on the next frame.
    assert.ok(
      t.cut.after < tick || t.cut.after >= t.duration + frame,
      `a travel of ${t.duration} ms was cut ${t.cut.after} ms after it began`,
    );
  }
  const cut = travels.filter((t) => t.cut);
  const ended = travels.filter((t) => !t.cut && t.state === "finished");
  assert.ok(ended.length > 0, "travels end on their own");
  if (cut.length) {
    // A loaded machine delays frames (or bunches the clock's ticks).
    console.log(
      `# ${cut.length} of ${travels.length} travels were cut short by late frames or bunched ticks, ` +
        `${cut.map((t) => Math.round(t.cut.after))} ms after they began`,
    );
  }
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("with the system's reduced motion nothing animates, and the player says why", async () => {
  const page = await openPage(browser, { reducedMotion: "reduce" });
  const at = await firstMark(page, "work-stealing", "steal");
  await load(page, `${server.url}/scheduler?preset=work-stealing&step=${at - 1}`);
  assert.match(await page.textContent(`${W} .player`), /system asks for reduced motion/);
  await step(page, "ArrowRight", at);
  assert.deepEqual(await page.evaluate(() => document.getAnimations().length), 0);
  assert.ok((await page.locator(`${W} .g.moved`).count()) > 0, "the highlight stays");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("the Motion toggle works by keyboard, is kept in the link, and turns travel off", async () => {
  const page = await openPage(browser);
  const at = await firstMark(page, "work-stealing", "steal");
  await load(page, `${server.url}/scheduler?preset=work-stealing&step=${at - 1}`);
  const toggle = page.locator(`${W} .motion-toggle`);
  await toggle.focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("motion") === "off");
  assert.equal(await toggle.getAttribute("aria-pressed"), "false");
  assert.equal(await toggle.textContent(), "Motion: off");
  await step(page, "ArrowRight", at);
  assert.deepEqual(await page.evaluate(() => document.getAnimations().length), 0, "no travel, no pulse");
  assert.ok((await page.locator(`${W} .g.moved`).count()) > 0, "the highlight stays");
  // A shared link keeps it.
  await load(page, `${server.url}/scheduler?preset=work-stealing&step=${at - 1}&motion=off`);
  assert.equal(await toggle.getAttribute("aria-pressed"), "false");
  await step(page, "ArrowRight", at);
  assert.deepEqual(await page.evaluate(() => document.getAnimations().length), 0);
  // Space turns it back on, and the key leaves the link.
  await toggle.focus();
  await page.keyboard.press(" ");
  await page.waitForFunction(() => !new URLSearchParams(location.search).has("motion"));
  assert.equal(await toggle.getAttribute("aria-pressed"), "true");
  await step(page, "ArrowLeft", at - 1);
  assert.ok((await flips(page)).length > 0, "travel is back");
  // A value that is neither on nor off is named.
  await load(page, `${server.url}/scheduler?preset=work-stealing&motion=slow`);
  assert.match(await page.textContent(`${W} .player`), /motion "slow" is not "on" or "off"/);
  assert.equal(await queryValue(page, "motion"), "slow");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
