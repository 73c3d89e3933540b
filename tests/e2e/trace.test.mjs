// "Your program" in a real browser: a shipped sample trace (recorded from a
// real go1.27.3 program) opens on the lanes and steps by keyboard with the
// moment in the URL; a link to a moment opens it; the jumps land on a GC
// cycle, a stop-the-world and a followed goroutine's next event; playing
// moves in trace time; the learner's own file opens from the picker and
// stays out of the URL; broken, truncated and old-format files say what
// is wrong while the trace shown stays; and the Scheduler page mounts it
// beside the scheduler widget.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { serve, launch, openPage, load, audit } from "./harness.mjs";

const DATA = new URL("../../web/data/traces/", import.meta.url).pathname;
const SAMPLES = ["pipeline", "netpoll", "syscalls", "gc", "gomaxprocs"];

let server, browser;
before(async () => {
  server = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const ready = (page) => page.waitForSelector(".widget.trace[data-state=ready] .player", { timeout: 20000 });
const narration = (page) => page.textContent(".trace .narration");
const stepCount = async (page) => (await page.textContent(".trace .step-count")).split(" / ").map(Number);
const param = (page, k) => page.evaluate((k) => new URLSearchParams(location.search).get(k), k);

test("the default sample opens at its start, and each key press is one event, in the URL", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/embed/trace");
  await ready(page);
  const [step, last] = await stepCount(page);
  assert.equal(step, 0);
  assert.ok(last > 100, `only ${last} steps`);
  assert.match(await narration(page), /^The trace begins: \d+ goroutines exist, \d+ of them running, with GOMAXPROCS=\d+\.$/);
  const procs = Number((await narration(page)).match(/GOMAXPROCS=(\d+)/)[1]);
  assert.equal(await page.locator(".trace .lanes > .lane").count(), procs);
  assert.equal(await page.getAttribute(".trace .narration", "aria-live"), "polite");
  assert.match(await page.textContent(".trace .trace-privacy"), /never uploaded/);
  // Keyboard: the widget's shortcuts step one event at a time.
  await page.focus(".trace .player button.play");
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction(() => document.querySelector(".trace .step-count").textContent.startsWith("1 /"));
  assert.equal(await param(page, "at"), "1");
  const first = await narration(page);
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction(() => document.querySelector(".trace .step-count").textContent.startsWith("2 /"));
  assert.notEqual(await narration(page), first);
  await page.keyboard.press("ArrowLeft");
  await page.waitForFunction(() => document.querySelector(".trace .step-count").textContent.startsWith("1 /"));
  assert.equal(await narration(page), first);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("a link to a moment opens that moment, with the same words as stepping there", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/embed/trace?trace=pipeline");
  await ready(page);
  await page.focus(".trace .player button.play");
  // Find a step where a goroutine blocks, with its source line.
  let said = "";
  for (let i = 0; i < 200 && !/ blocks .* at \S+\.go:\d+ \(/.test(said); i++) {
    await page.keyboard.press("ArrowRight");
    said = await narration(page);
  }
  assert.match(said, /^G\d+ blocks .* at \S+\.go:\d+ \(\S+\)\.$/);
  const at = await param(page, "at");
  const other = await openPage(browser);
  await load(other, server.url + `/embed/trace?trace=pipeline&at=${at}`);
  await ready(other);
  assert.equal((await stepCount(other))[0], Number(at));
  assert.equal(await narration(other), said);
  // A moment past the end says so and starts at 0.
  await load(other, server.url + "/embed/trace?trace=pipeline&at=999999999");
  await ready(other);
  assert.equal((await stepCount(other))[0], 0);
  assert.match(await other.textContent(".trace .notice"), /at is not a number from 0 to \d+; starting at 0/);
  // A sample that does not exist says which do.
  await load(other, server.url + "/embed/trace?trace=nope");
  await ready(other);
  assert.match(await other.textContent(".trace .notice"), /"nope", which does not exist.*Allowed: pipeline, netpoll, syscalls, gc, gomaxprocs/);
  assert.deepEqual([...page.errors, ...other.errors], []);
  await page.context().close();
  await other.context().close();
});

test("the jumps land on the next GC cycle, the next stop-the-world and the followed goroutine's next event", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/embed/trace?trace=gc");
  await ready(page);
  await page.click(".trace .player button:text-matches('Next GC cycle')");
  await page.waitForFunction(() => /A GC cycle begins/.test(document.querySelector(".trace .narration").textContent));
  assert.match(await page.textContent(".trace .phase-banner"), /GC cycle 1: concurrent mark/);
  const gcStep = (await stepCount(page))[0];
  await page.click(".trace .trace-jumps button:text-matches('Next stop-the-world')");
  await page.waitForFunction(() => /The world stops \(/.test(document.querySelector(".trace .narration").textContent));
  assert.ok((await stepCount(page))[0] > gcStep);
  assert.match(await page.textContent(".trace .phase-banner"), /World stopped \(.+\) for/);
  assert.equal(await page.locator(".trace .phase-banner.stopped").count(), 1);
  // Follow main's goroutine (G1): each jump lands on an event about it.
  await page.selectOption(".trace .trace-follow", "1");
  await page.waitForSelector(".trace .trace-next-of");
  assert.equal(await param(page, "g"), "1");
  for (let i = 0; i < 3; i++) {
    const before = (await stepCount(page))[0];
    await page.click(".trace .trace-next-of");
    await page.waitForFunction((b) => Number(document.querySelector(".trace .step-count").textContent.split(" / ")[0]) > b, before);
    assert.match(await narration(page), /\bG1\b/);
  }
  // The heap chart marks the moment and the GC phases.
  assert.ok((await page.locator(".trace .trace-heap .gc-span").count()) >= 1);
  assert.match(await page.getAttribute(".trace .trace-heap svg", "aria-label"), /MB allocated, goal [\d.]+ MB/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("playing moves through the trace in its own time, and pausing writes the moment", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/embed/trace?trace=pipeline");
  await ready(page);
  const speeds = await page.$$eval(".trace .player .speed option", (o) => o.map((x) => x.textContent));
  assert.deepEqual(speeds, ["0.25 ms/s", "0.5 ms/s", "1 ms/s", "2 ms/s", "4 ms/s", "8 ms/s", "16 ms/s", "32 ms/s", "64 ms/s"]);
  await page.selectOption(".trace .player .speed select", "6");
  const timeAt = async () => {
    const m = (await page.textContent(".trace .trace-time")).match(/^At ([\d.]+) (ns|µs|ms|s) of/);
    return Number(m[1]) * { ns: 1e-6, "µs": 1e-3, ms: 1, s: 1e3 }[m[2]];
  };
  const t0 = await timeAt();
  await page.click(".trace .player button.play");
  await page.waitForTimeout(1500);
  await page.click(".trace .player button.play");
  const t1 = await timeAt();
  // 16 ms of trace a second: 1.5 s of play is about 24 ms of trace (quiet
  // stretches are cut short, so more may pass; a slow machine's timer
  // gives less).
  assert.ok(t1 - t0 > 4, `trace time moved only ${t1 - t0} ms`);
  const [step] = await stepCount(page);
  assert.ok(step > 0);
  await page.waitForFunction((s) => new URLSearchParams(location.search).get("at") === String(s), step);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("your own file opens from the picker and stays out of the URL; bad files say why and the trace shown stays", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/embed/trace?trace=pipeline&at=5");
  await ready(page);
  const gc = readFileSync(DATA + "gc.trace");
  await page.setInputFiles(".trace input.trace-file", { name: "mine.trace", mimeType: "application/octet-stream", buffer: gc });
  await page.waitForFunction(() => /Your file mine\.trace/.test(document.querySelector(".trace .trace-from")?.textContent ?? ""));
  assert.equal((await stepCount(page))[0], 0);
  await page.keyboard.press("ArrowRight");
  await page.focus(".trace .player button.play");
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction(() => document.querySelector(".trace .step-count").textContent.startsWith("1 /"));
  // The URL still names the sample's moment, not the file.
  assert.equal(await param(page, "trace"), "pipeline");
  assert.equal(await param(page, "at"), "5");
  // Not a trace: what was found and what is read; the file stays shown.
  await page.setInputFiles(".trace input.trace-file", { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello, world\n") });
  await page.waitForSelector(".trace .notice[role=alert]");
  assert.match(await page.textContent(".trace .notice[role=alert]"), /notes\.txt could not be read: bad file format: not a Go execution trace: it starts with "hello, world\\n".*Go 1\.22 to 1\.27/);
  assert.match(await page.textContent(".trace .trace-from"), /Your file mine\.trace/);
  assert.equal(await page.getAttribute(".widget.trace", "data-state"), "ready");
  // A trace from Go 1.21 (the old format).
  await page.setInputFiles(".trace input.trace-file", { name: "old.trace", mimeType: "application/octet-stream", buffer: Buffer.from("go 1.21 trace\0\0\0\x01\x02") });
  await page.waitForFunction(() => /old v1 format/.test(document.querySelector(".trace .notice[role=alert]")?.textContent ?? ""));
  // An empty file.
  await page.setInputFiles(".trace input.trace-file", { name: "empty.trace", mimeType: "application/octet-stream", buffer: Buffer.alloc(0) });
  await page.waitForFunction(() => /empty\.trace is empty/.test(document.querySelector(".trace .notice[role=alert]")?.textContent ?? ""));
  // A trace cut short in its first generation: Go's own message. (One cut
  // after a whole generation shows the lanes up to the break: the
  // conformance test checks that against Go.)
  const cut = gc.subarray(0, Math.floor(gc.length * 0.6));
  await page.setInputFiles(".trace input.trace-file", { name: "cut.trace", mimeType: "application/octet-stream", buffer: cut });
  await page.waitForFunction(() => /cut\.trace could not be read: truncated trace: failed to read full batch/.test(document.querySelector(".trace .notice[role=alert]")?.textContent ?? ""));
  assert.match(await page.textContent(".trace .trace-from"), /Your file mine\.trace/);
  // Dropped on the widget: the same as the picker.
  const netpoll = readFileSync(DATA + "netpoll.trace");
  const dropped = await page.evaluateHandle((bytes) => {
    const d = new DataTransfer();
    d.items.add(new File([new Uint8Array(bytes)], "dropped.trace"));
    return d;
  }, [...netpoll]);
  await page.dispatchEvent(".widget.trace", "dragover", { dataTransfer: dropped });
  assert.match(await page.getAttribute(".widget.trace", "class"), /\bdragging\b/);
  await page.dispatchEvent(".widget.trace", "drop", { dataTransfer: dropped });
  await page.waitForFunction(() => /Your file dropped\.trace/.test(document.querySelector(".trace .trace-from")?.textContent ?? ""));
  assert.doesNotMatch(await page.getAttribute(".widget.trace", "class"), /\bdragging\b/);
  // Back to a sample: the URL's.
  await page.click(".trace .trace-samples button:text('Network server')");
  await page.waitForFunction(() => /The sample netpoll/.test(document.querySelector(".trace .trace-from")?.textContent ?? ""));
  assert.equal(await param(page, "trace"), "netpoll");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("every sample opens and draws its lanes; the Scheduler page mounts both widgets and passes the audit", async () => {
  const page = await openPage(browser);
  for (const s of SAMPLES) {
    await load(page, server.url + `/embed/trace?trace=${s}`);
    await ready(page);
    assert.match(await page.textContent(".trace .trace-from"), new RegExp(`The sample ${s}: .* \\d+ events over .* \\(go 1\\.26 trace`));
    assert.ok((await page.locator(".trace .lanes > .lane").count()) >= 1, s);
  }
  await load(page, server.url + "/scheduler/?trace=gc&at=3#trace");
  await page.waitForSelector("#trace .widget.trace[data-state=ready]", { timeout: 20000 });
  await page.waitForSelector("#scheduler .scheduler-widget");
  assert.equal((await stepCount(page))[0], 3);
  assert.deepEqual(await audit(page), []);
  await page.setViewportSize({ width: 360, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than a 360px phone`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
