// Dev helper: frames of one step's motion, to look at. Opens `path`,
// presses `key` (default ArrowRight) on the first widget's player, pauses
// every animation and screenshots `selector` at `count` evenly spaced
// moments from its start to its end: `out-0.png` … `out-<count-1>.png`.
//
//   node frames.mjs '/scheduler?preset=work-stealing&step=9' /tmp/steal .sched-diagram [count] [key] [width] [dark]
import { serve, launch, openPage, load } from "./harness.mjs";

const [path, out, selector, count = "5", key = "ArrowRight", width = "1280", dark] = process.argv.slice(2);
const n = Math.max(2, Number(count));
const s = await serve();
const b = await launch();
const p = await openPage(b, {
  viewport: { width: Number(width), height: 900 },
  colorScheme: dark ? "dark" : "light",
});
await load(p, s.url + path);
const before = await p.evaluate(() => location.search);
await p.focus(".widget [aria-label='Step forward']");
await p.keyboard.press(key);
await p.waitForFunction((q) => location.search !== q, before);
const found = await p.evaluate(() => {
  const all = document.getAnimations();
  for (const a of all) a.pause();
  return all.map((a) => `${a.id || a.animationName || "?"} on ${a.effect.target.dataset.flip ?? a.effect.target.className}`);
});
console.log(`${found.length} animations: ${found.join(", ")}`);
for (let i = 0; i < n; i++) {
  await p.evaluate((t) => {
    for (const a of document.getAnimations()) a.currentTime = t * a.effect.getComputedTiming().endTime;
  }, i / (n - 1));
  await p.locator(selector).first().screenshot({ path: `${out}-${i}.png` });
  console.log(`${out}-${i}.png`);
}
console.log("errors:", p.errors);
await b.close();
await s.close();
