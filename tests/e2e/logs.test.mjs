// "Paste your program's log" in a real browser: the shipped example (a
// real go1.27.3 gctrace) draws its cycles with the numbers as printed, a
// pasted log with a bad line lists that line with its number and why while
// the rest still draws, the scheduler example draws one strip per P, a file
// opens the same way, and the Diagnose page passes the audit with it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { serve, launch, openPage, load, audit } from "./harness.mjs";

const DATA = new URL("../../web/data/logs/", import.meta.url).pathname;
const GCTRACE = readFileSync(DATA + "gctrace.txt", "utf8");
const SCHEDTRACE = readFileSync(DATA + "schedtrace.txt", "utf8");

let server, browser;
before(async () => {
  server = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** A gctrace line read here with a regular expression, independently of the wasm. */
function gcFields(line) {
  const m = line.match(/^gc (\d+) @([\d.]+)s (\d+)%: ([\d.]+)\+([\d.]+)\+([\d.]+) ms clock, .* ms cpu, (\d+)->(\d+)->(\d+) MB, (\d+) MB goal, .*, (\d+) P( \(forced\))?$/);
  assert.ok(m, line);
  return { cycle: m[1], at: m[2], cpu: m[3] + "%", stw1: m[4], mark: m[5], stw2: m[6], before: m[7], after: m[8], live: m[9], goal: m[10], procs: m[11], forced: !!m[12] };
}

/** The cells of the GC table's rows. */
const gcRows = (page) =>
  page.$$eval(".logs .logs-gc-table tbody tr", (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));

test("the example gctrace draws every cycle with the numbers as printed, and lists the program's own line", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/embed/logs");
  const lines = GCTRACE.trimEnd().split("\n");
  const gc = lines.filter((l) => l.startsWith("gc "));
  await page.waitForSelector(".logs .logs-heap");
  assert.equal(
    await page.textContent(".logs .logs-summary"),
    `Read ${gc.length} GC cycles from ${lines.length} lines; 1 line not understood (the first is line ${lines.length}).`,
  );
  assert.equal(await page.getAttribute(".logs .logs-summary", "aria-live"), "polite");
  const rows = await gcRows(page);
  assert.equal(rows.length, gc.length);
  for (const [i, line] of gc.entries()) {
    const f = gcFields(line);
    const [lineNo, cycle, at, before, afterMb, live, goal, cpu, stw1, mark, stw2, procs, note] = rows[i];
    assert.deepEqual(
      [lineNo, cycle, at, before, afterMb, live, goal, cpu, stw1, mark, stw2, procs],
      [String(lines.indexOf(line) + 1), f.cycle, f.at, f.before, f.after, f.live, f.goal, f.cpu, f.stw1, f.mark, f.stw2, f.procs],
      line,
    );
    assert.equal(note.includes("forced"), f.forced, line);
  }
  // The heap line visits three points a cycle; one dashed line per forced cycle.
  const points = (await page.getAttribute(".logs .logs-heap polyline.heap", "points")).trim().split(/\s+/);
  assert.equal(points.length, 3 * gc.length);
  assert.equal(await page.locator(".logs .logs-heap line.forced").count(), gc.filter((l) => l.endsWith("(forced)")).length);
  // The chart's top heap figure is the largest "after" as printed.
  const peak = Math.max(...gc.map((l) => Number(gcFields(l).after)));
  assert.match(await page.getAttribute(".logs .logs-heap", "aria-label"), new RegExp(`up to ${peak} MB in use`));
  // The last line is the program's own output.
  const errors = page.locator(".logs .logs-error-list li");
  assert.equal(await errors.count(), 1);
  assert.equal(await errors.first().getAttribute("data-line"), String(lines.length));
  assert.match(await errors.first().textContent(), /^Line \d+: not a gctrace or schedtrace line: expected one starting with "gc N @"/);
  assert.match(await page.textContent(".logs .logs-privacy"), /stays in this browser/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("a pasted log with a bad line lists it with its number and why, and the rest still draws", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/embed/logs");
  await page.waitForSelector(".logs .logs-heap");
  const gc = GCTRACE.split("\n").filter((l) => l.startsWith("gc "));
  const sched = SCHEDTRACE.split("\n").filter((l) => l.startsWith("SCHED "));
  const broken = gc[3].replace(" ms clock", " ms clok");
  const text = [gc[0], gc[1], broken, "my program says hello", gc[4], sched[0], sched[1]].join("\n");
  await page.fill("#logs-text", text);
  await page.waitForFunction(() => document.querySelector(".logs .logs-summary").textContent.startsWith("Read 3 GC cycles, 2 scheduler samples"));
  assert.equal(
    await page.textContent(".logs .logs-summary"),
    "Read 3 GC cycles, 2 scheduler samples from 7 lines; 2 lines not understood (the first is line 3).",
  );
  const errs = await page.$$eval(".logs .logs-error-list li", (li) => li.map((l) => [l.dataset.line, l.textContent]));
  assert.deepEqual(errs.map((e) => e[0]), ["3", "4"]);
  assert.match(errs[0][1], /expected " ms clock, ", found " ms clok/);
  assert.match(errs[1][1], /my program says hello$/);
  const rows = await gcRows(page);
  assert.deepEqual(rows.map((r) => r[1]), [gcFields(gc[0]).cycle, gcFields(gc[1]).cycle, gcFields(gc[4]).cycle]);
  assert.deepEqual(rows.map((r) => r[0]), ["1", "2", "5"]);
  // The scheduler's two samples: per-P queues as printed.
  const runq = (l) => l.match(/\[ ([\d ]+) \]/)[1].trim().replace(/\s+/g, " ");
  assert.deepEqual(await page.$$eval(".logs .logs-sched-table .logs-runq", (c) => c.map((x) => x.textContent)), [runq(sched[0]), runq(sched[1])]);
  assert.equal(await page.getAttribute(".logs", "data-source"), "pasted");
  // Clear: nothing to read, and the box has the focus.
  await page.click(".logs button:text('Clear')");
  await page.waitForFunction(() => document.querySelector(".logs .logs-summary").textContent.startsWith("Nothing to read yet"));
  assert.equal(await page.evaluate(() => document.activeElement.id), "logs-text");
  assert.equal(await page.locator(".logs .logs-heap").count(), 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("the scheduler example draws a strip per P and per thread count, and the link keeps it", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/embed/logs");
  await page.waitForSelector(".logs .logs-heap");
  await page.click(".logs button:text('Scheduler log')");
  await page.waitForSelector(".logs .logs-sched");
  assert.equal(await page.evaluate(() => new URLSearchParams(location.search).get("log")), "schedtrace");
  assert.equal(await page.getAttribute(".logs button:text('Scheduler log')", "aria-pressed"), "true");
  const sched = SCHEDTRACE.split("\n").filter((l) => l.startsWith("SCHED "));
  const procs = Number(sched[0].match(/gomaxprocs=(\d+)/)[1]);
  const titles = await page.$$eval(".logs .logs-sched .strip-title", (t) => t.map((x) => x.textContent));
  // Global queue, one per P, threads, idle threads, spinning threads, idle Ps.
  assert.equal(titles.length, 1 + procs + 4);
  const most = (re) => Math.max(...sched.map((l) => Number(l.match(re)[1])));
  assert.equal(titles[0], `Global run queue: up to ${most(/runqueue=(\d+)/)}`);
  const p0 = Math.max(...sched.map((l) => Number(l.match(/\[ (\d+)/)[1])));
  assert.equal(titles[1], `P0 run queue: up to ${p0}`);
  assert.equal(titles[1 + procs], `Threads (Ms): up to ${most(/threads=(\d+)/)}`);
  assert.equal(await page.locator(".logs .logs-sched-table tbody tr").count(), sched.length);
  // Reload: the same example.
  await load(page, page.url());
  await page.waitForSelector(".logs .logs-sched");
  assert.equal(await page.locator(".logs .logs-heap").count(), 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("a log file opens in the page, and its text fills the box", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/embed/logs?log=schedtrace");
  await page.waitForSelector(".logs .logs-sched");
  await page.setInputFiles(".logs input[type=file]", { name: "mine.log", mimeType: "text/plain", buffer: Buffer.from(GCTRACE) });
  await page.waitForFunction(() => document.querySelector(".logs").dataset.source === "file");
  assert.equal(await page.textContent(".logs .logs-from"), "Showing the file mine.log.");
  await page.waitForSelector(".logs .logs-heap");
  assert.equal(await page.inputValue("#logs-text"), GCTRACE);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("on the Diagnose page the widget is labelled, keyboard-reachable and passes the audit, light and dark, at 360 px", async () => {
  for (const colorScheme of ["light", "dark"]) {
    const page = await openPage(browser, { colorScheme, viewport: { width: 360, height: 800 } });
    await load(page, server.url + "/diagnose#logs");
    await page.waitForSelector("#logs .logs .logs-heap");
    assert.equal(await page.textContent("label[for=logs-text]"), "Your program's log (GODEBUG=gctrace=1 or schedtrace=1000, standard error)");
    await page.focus("#logs-text");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.type), "file");
    const violations = await audit(page);
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
    // Nothing sticks out of a 360 px screen.
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 360, `page is ${wide} px wide`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});
