// The scheduler's pictures and words in a real browser: one picture per
// step, "next interesting event" by key and button, the filter of routine
// steps, the recent events numbered by step, and scheduler latency.
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
const narration = (page) => page.textContent(".scheduler-widget .narration");

test("each step shows what its narration says, and no more", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/scheduler?preset=work-stealing&step=3");
  assert.match(await narration(page), /G2 goes into P0's runnext/);
  assert.equal(await page.locator(".lanes .m", { hasText: "M2" }).count(), 0, "M2 starts only at step 4");
  assert.equal((await page.textContent(".lane:first-child .runnext")).includes("G2"), true);
  await page.focus(".scheduler-widget [aria-label='Step forward']");
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("step") === "4");
  assert.match(await narration(page), /M2 for P1, to spin/);
  assert.match(await page.textContent(".lanes"), /M2 spinning/);
  // Step 5 to 6: the kicked G2 lands in the queue.
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("step") === "6");
  assert.match(await page.textContent(".lane:first-child .runq"), /G2/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("n and Shift+N jump between interesting events; the choice is kept in the link", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/scheduler?preset=work-stealing");
  const button = page.locator(".scheduler-widget .player button", { hasText: "Next steal, handoff or preemption" });
  const at = Number((await button.textContent()).match(/step (\d+)/)[1]);
  await page.focus(".scheduler-widget [aria-label='Step forward']");
  await page.keyboard.press("n");
  await page.waitForFunction((s) => new URLSearchParams(location.search).get("step") === String(s), at);
  assert.match(await narration(page), /stolen from P0/);
  await page.keyboard.press("n");
  await page.waitForFunction((s) => Number(new URLSearchParams(location.search).get("step")) > s, at);
  await page.keyboard.press("Shift+N");
  await page.waitForFunction((s) => new URLSearchParams(location.search).get("step") === String(s), at);
  // Follow one goroutine instead.
  await page.selectOption("#sched-jump", "goroutine");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("next") === "goroutine");
  await page.fill("#sched-follow", "G5");
  await page.press("#sched-follow", "Enter");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("follow") === "5");
  await page.click(".scheduler-widget .player button:has-text('Next event of G5')");
  await page.waitForFunction((s) => Number(new URLSearchParams(location.search).get("step")) > s, at);
  assert.match(await narration(page), /\bG5\b/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("skip the setup lands on the lesson; hiding routine steps skips sysmon's idle ticks", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/scheduler?preset=syscall-handoff");
  await page.click(".skip-setup");
  await page.waitForFunction(() => Number(new URLSearchParams(location.search).get("step")) > 1);
  assert.match(await narration(page), /system call/);
  await page.check(".scheduler-widget label:has-text('Hide routine steps') input");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("hideroutine") === "1");
  assert.match(await page.textContent(".scheduler-widget .step-count"), /shown/);
  await page.focus(".scheduler-widget [aria-label='Step forward']");
  let tick = false;
  for (let i = 0; i < 25; i++) {
    const before = await stepInUrl(page);
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction((s) => Number(new URLSearchParams(location.search).get("step")) > s, before);
    const said = await narration(page);
    assert.doesNotMatch(said, /sysmon prints a schedtrace line/, said);
    // A sysmon tick still shown is one that goes on to do something.
    if (tick) assert.match(said, /sysmon retakes|preempt|netpoller|injectglist/, said);
    tick = /sysmon wakes/.test(said);
  }
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("recent events are numbered by step, and latency is shown as a histogram and a table", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/scheduler?preset=preempt&step=40");
  const first = page.locator(".event-log li").first();
  assert.equal(await first.getAttribute("value"), "40");
  assert.equal(await page.locator(".latency-histogram tbody tr").count(), 6);
  assert.match(await page.textContent(".sched-latency"), /waits? so far/);
  assert.match(await page.textContent(".latency-tail"), /with async preemption the longest wait is .*asyncpreemptoff=1 it is .* cuts the tail/);
  await page.click(".latency-per-g summary");
  assert.match(await page.textContent(".latency-per-g tbody th"), /^G\d+$/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("playing writes the address bar a few times a second, a learner's action at once, and a copied link is the shown step", async () => {
  const page = await openPage(browser);
  await page.addInitScript(() => {
    window.__urlWrites = 0;
    const replace = history.replaceState.bind(history);
    history.replaceState = (...args) => {
      window.__urlWrites++;
      return replace(...args);
    };
  });
  await load(page, server.url + "/scheduler?preset=work-stealing&step=3");
  const W = ".scheduler-widget";
  const shown = () => page.evaluate(() => document.querySelector(".scheduler-widget .step-count").textContent.split(" / ")[0]);
  // A learner's steps are in the address bar straight away, each one.
  await page.focus(`${W} [aria-label='Step forward']`);
  await page.evaluate(() => (window.__urlWrites = 0));
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
  assert.equal(await stepInUrl(page), 6);
  assert.equal(await page.evaluate(() => window.__urlWrites), 3);
  // Playing at 64x moves on 20 times a second; the address bar is written
  // at most every 250 ms meanwhile.
  await page.selectOption(`${W} .speed select`, "8");
  await page.evaluate(() => (window.__urlWrites = 0));
  await page.click(`${W} button.play`);
  const t0 = Date.now();
  await page.waitForTimeout(2000);
  await page.click(`${W} button.play`);
  const playedMs = Date.now() - t0;
  const writes = await page.evaluate(() => window.__urlWrites);
  const moved = Number(await shown()) - 6;
  assert.ok(moved > 40, `it played (${moved} steps)`);
  assert.ok(writes <= playedMs / 250 + 3, `${writes} address-bar writes for ${moved} steps in ${playedMs} ms`);
  // The pause is the learner's: the address bar shows the step at once.
  assert.equal(String(await stepInUrl(page)), await shown());
  // A copied link is the step on screen.
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  await page.click(`${W} .copy-link button`);
  await page.waitForFunction(() => document.querySelector(".scheduler-widget .copy-status")?.textContent.includes("copied"));
  const copied = new URL(await page.evaluate(() => navigator.clipboard.readText()));
  assert.equal(copied.searchParams.get("step"), await shown());
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
