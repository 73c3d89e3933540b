// The soak run of `cargo xtask bench soak`: a tab left open for a lecture.
// Two widgets of the release bundle in dist/ autoplay at 64x in headless
// Chromium, each in its own tab, for GOPHERSCOPE_SOAK_MINUTES (30 by
// default): the scheduler on 1,000 goroutines and the marking widget on
// its 2,000-object heap. Each has the player's Repeat on, so a run that
// reaches its last step plays again from step 0 with no click: after the
// start, nothing is clicked but the minute's sample (below).
//
// Every minute, after a forced garbage collection (CDP
// HeapProfiler.collectGarbage), it samples per tab the JS heap in use
// (CDP Performance.getMetrics JSHeapUsedSize), the wasm linear memory
// (the Memory's buffer.byteLength), the DOM nodes (Performance.getMetrics
// Nodes: every live node of the renderer, detached ones included) and the
// event listeners. It also takes a heap snapshot (CDP HeapProfiler) and adds
// up the page's own JavaScript objects in it: the JS heap figure also holds
// the browser's own records (performance-timeline entries, a record per
// user input, DevTools' network log), which this one leaves out. It prints
// a table, the growth from minute 2 to the end, and the console errors (or
// that there were none). Numbers, not pass/fail.
//
// The marking widget is also sampled at step 0 each minute: paused, reset
// and played again by clicks that the page's script dispatches (element
// .click()), not by input events, so that the sample does not add the
// browser's per-input records it measures.
//
//   GOPHERSCOPE_SOAK_MINUTES=4 node tests/e2e/bench/soak.mjs
import { serve, launch, openPage, load } from "../harness.mjs";

const MINUTES = Number(process.env.GOPHERSCOPE_SOAK_MINUTES ?? 30);
if (!(MINUTES >= 2)) {
  console.error(`GOPHERSCOPE_SOAK_MINUTES=${process.env.GOPHERSCOPE_SOAK_MINUTES} must be a number of minutes, at least 2`);
  process.exit(2);
}
const SAMPLE_MS = 60_000;
/// The player's fastest speed: index 8 of SPEEDS, 64x.
const TOP_SPEED = "8";

/// The scenario of `cargo xtask bench browser`: 1,000 goroutines on 16 Ps,
/// each computing and yielding 1,000 times (the widget records the first
/// 200,000 steps).
const SCHED_SCENARIO = `gomaxprocs 16
func worker
  repeat 1000
    compute 20us
    gosched
  end
  done wg
end
func main
  add wg 1000
  go worker 1000
  wait wg
end
`;

const WIDGETS = [
  {
    name: "scheduler",
    what: "scheduler, 1,000 goroutines on 16 Ps",
    url: `/embed/scheduler?preset=custom&scenario=${encodeURIComponent(SCHED_SCENARIO)}&gomaxprocs=16`,
    root: ".scheduler-widget",
    ready: ".scheduler-widget .lanes",
  },
  {
    name: "gc-marking",
    what: "gc marking, 2,000 objects (large-random)",
    url: "/embed/gc-marking?preset=large-random",
    root: ".gc-mark",
    ready: ".gc-mark .heap-canvas",
    // It starts again every few hundred steps anyway, so it is also
    // sampled at step 0 each minute (see `sample`).
    atStart: true,
  },
];

const mb = (b) => (b / 1048576).toFixed(1);

async function open(browser, base, w) {
  const page = await openPage(browser);
  await page.addInitScript(() => {
    addEventListener("TrunkApplicationStarted", (e) => {
      window.__soakWasmMemory = e.detail.wasm.memory;
    });
  });
  await load(page, base + w.url);
  await page.waitForSelector(w.ready, { timeout: 120000 });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  await page.selectOption(`${w.root} .speed select`, TOP_SPEED);
  await page.click(`${w.root} .player button.repeat`);
  if ((await page.getAttribute(`${w.root} .player button.repeat`, "aria-pressed")) !== "true") {
    throw new Error(`${w.name}: the player's Repeat did not switch on`);
  }
  await page.click(`${w.root} button.play`);
  return { ...w, page, cdp, stopped: 0, samples: [] };
}

const isPlaying = async (t) => (await t.page.getAttribute(`${t.root} button.play`, "aria-label")) === "Pause";

/// A click the page's script dispatches (not an input event).
const scriptClick = (t, selector) =>
  t.page.evaluate((sel) => document.querySelector(sel).click(), `${t.root} ${selector}`);

/// With Repeat on, the widget never stops; if it did, that is counted and
/// it is started again.
async function keepPlaying(t) {
  if (await isPlaying(t)) return;
  t.stopped += 1;
  await scriptClick(t, "button.play");
}

/// The bytes of the page's own JavaScript objects in a heap snapshot:
/// every node but the browser's native objects, compiled code and the
/// snapshot's synthetic roots.
async function ownObjects(cdp) {
  const chunks = [];
  const onChunk = (e) => chunks.push(e.chunk);
  cdp.on("HeapProfiler.addHeapSnapshotChunk", onChunk);
  await cdp.send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
  cdp.off("HeapProfiler.addHeapSnapshotChunk", onChunk);
  const snap = JSON.parse(chunks.join(""));
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [type, size] = [fields.indexOf("type"), fields.indexOf("self_size")];
  let bytes = 0;
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const t = types[snap.nodes[i + type]];
    if (t !== "native" && t !== "code" && t !== "synthetic") bytes += snap.nodes[i + size];
  }
  return bytes;
}

async function sample(t, minute) {
  // Paused for the sample, so that the widget's playing does not allocate
  // between the collection and the reading.
  const wasPlaying = await isPlaying(t);
  if (wasPlaying) await scriptClick(t, "button.play");
  await t.page.waitForTimeout(300);
  await t.cdp.send("HeapProfiler.collectGarbage");
  const { metrics } = await t.cdp.send("Performance.getMetrics");
  const metric = (name) => metrics.find((m) => m.name === name)?.value ?? NaN;
  const wasm = await t.page.evaluate(() => window.__soakWasmMemory?.buffer.byteLength ?? NaN);
  const step = await t.page.evaluate(
    (root) => document.querySelector(`${root} .step-count`)?.textContent ?? "",
    t.root,
  );
  // The running sample depends on where in its run the widget is (the
  // marking widget restarts every few hundred steps). A second sample at
  // the same state every minute: paused, back at step 0, collected again.
  // A leak grows this one too; the widget's state cannot.
  let atStart = [];
  let objectsAtStart = NaN;
  if (t.atStart) {
    await scriptClick(t, "[aria-label='Reset to the start']");
    await t.page.waitForTimeout(300);
    await t.cdp.send("HeapProfiler.collectGarbage");
    atStart = (await t.cdp.send("Performance.getMetrics")).metrics;
    objectsAtStart = await ownObjects(t.cdp);
  }
  const objects = t.atStart ? objectsAtStart : await ownObjects(t.cdp);
  if (wasPlaying || t.atStart) await scriptClick(t, "button.play");
  t.samples.push({
    minute,
    heapAtStart: atStart.find((m) => m.name === "JSHeapUsedSize")?.value ?? NaN,
    nodesAtStart: atStart.find((m) => m.name === "Nodes")?.value ?? NaN,
    heap: metric("JSHeapUsedSize"),
    objects,
    wasm,
    nodes: metric("Nodes"),
    listeners: metric("JSEventListeners"),
    step,
  });
}

const growth = (a, b) => (a > 0 ? `${(((b - a) / a) * 100).toFixed(1)}%` : "n/a");
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await serve();
const browser = await launch();
try {
  const tabs = [];
  for (const w of WIDGETS) tabs.push(await open(browser, server.url, w));
  console.log(`soak: ${tabs.map((t) => t.what).join(" and ")}, autoplaying at 64x for ${MINUTES} minutes, sampled every minute`);
  const started = Date.now();
  // Minute 0 is right after loading; a sample every minute after.
  for (const t of tabs) await sample(t, 0);
  for (let minute = 1; minute <= MINUTES; minute++) {
    // Check on the players every few seconds so that one that reached its
    // end does not sit idle for the rest of the minute.
    while (Date.now() - started < minute * SAMPLE_MS) {
      await new Promise((r) => setTimeout(r, Math.min(5000, Math.max(0, started + minute * SAMPLE_MS - Date.now()))));
      for (const t of tabs) await keepPlaying(t);
    }
    for (const t of tabs) await sample(t, minute);
    process.stdout.write(`  minute ${minute} of ${MINUTES} sampled\n`);
  }
  for (const t of tabs) {
    console.log(`\n${t.what} (Repeat on; ${t.stopped ? `it stopped ${t.stopped} times and was started again` : "it never stopped"})`);
    console.log(`${"minute".padStart(6)} ${"JS heap MB".padStart(11)} ${"JS objects KB".padStart(14)} ${"wasm MB".padStart(8)} ${"DOM nodes".padStart(10)} ${"listeners".padStart(10)} ${"at step 0: JS heap KB".padStart(22)} ${"DOM nodes".padStart(10)}  step`);
    for (const s of t.samples) {
      console.log(
        `${String(s.minute).padStart(6)} ${mb(s.heap).padStart(11)} ${(s.objects / 1024).toFixed(0).padStart(14)} ${mb(s.wasm).padStart(8)} ${String(s.nodes).padStart(10)} ${String(s.listeners).padStart(10)} ${(s.heapAtStart / 1024).toFixed(0).padStart(22)} ${String(s.nodesAtStart).padStart(10)}  ${s.step}`,
      );
    }
    const from = t.samples.find((s) => s.minute === 2);
    const to = t.samples.at(-1);
    console.log(
      `growth from minute 2 to minute ${to.minute}: JS heap ${growth(from.heap, to.heap)} (${mb(from.heap)} -> ${mb(to.heap)} MB), ` +
        `its own JS objects ${growth(from.objects, to.objects)} (${(from.objects / 1024).toFixed(0)} -> ${(to.objects / 1024).toFixed(0)} KB${t.atStart ? ", at step 0" : ""}), ` +
        `wasm memory ${growth(from.wasm, to.wasm)} (${mb(from.wasm)} -> ${mb(to.wasm)} MB), ` +
        `DOM nodes ${growth(from.nodes, to.nodes)} (${from.nodes} -> ${to.nodes}), listeners ${growth(from.listeners, to.listeners)} (target: under 5% each)`,
    );
    // One sample each end can catch a passing state; the medians of three
    // minutes at each end cannot.
    const early = t.samples.filter((s) => s.minute >= 2 && s.minute <= 4);
    const late = t.samples.slice(-3);
    const med = (key, xs) => median(xs.map((s) => s[key]));
    console.log(
      `medians of minutes ${early[0].minute}-${early.at(-1).minute} and ${late[0].minute}-${late.at(-1).minute}: ` +
        ["heap", "objects", "wasm", "nodes", "listeners"].concat(t.atStart ? ["heapAtStart"] : [])
          .map((k) => `${k} ${growth(med(k, early), med(k, late))}`).join(", "),
    );
    if (t.atStart) console.log(
      `growth at step 0 (the same state each minute), minute 2 to minute ${to.minute}: JS heap ${growth(from.heapAtStart, to.heapAtStart)} ` +
        `(${(from.heapAtStart / 1024).toFixed(0)} -> ${(to.heapAtStart / 1024).toFixed(0)} KB), DOM nodes ${growth(from.nodesAtStart, to.nodesAtStart)}`,
    );
    if (t.page.errors.length) console.log(`console errors (${t.page.errors.length}): ${t.page.errors.join(" | ")}`);
    else console.log("no console errors");
  }
} finally {
  await browser.close();
  await server.close();
}
