// The player's Repeat toggle in a real browser: off by default (playing
// stops at the last step), switched on by keyboard, and then a run that
// reaches its last step plays again from the start without a click, as a
// widget left running on a lecture-room screen should.
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

const ROOT = ".gc-mark";
const stepOf = async (page) => Number((await page.textContent(`${ROOT} .step-count`)).split(" / ")[0]);
const lastOf = async (page) => Number((await page.textContent(`${ROOT} .step-count`)).split(" / ")[1]);

test("with Repeat on, playing goes on from the last step back to the start", async () => {
  const page = await openPage(browser);
  await load(page, server.url + "/embed/gc-marking");
  const repeat = page.locator(`${ROOT} .player button.repeat`);
  assert.equal(await repeat.getAttribute("aria-pressed"), "false");
  assert.equal((await repeat.textContent()).trim(), "⟲ Repeat: off");
  await page.selectOption(`${ROOT} .speed select`, "8");
  const last = await lastOf(page);

  // Off: the run stops at its last step.
  await page.click(`${ROOT} button.play`);
  await page.waitForFunction((r) => document.querySelector(`${r} button.play`).getAttribute("aria-label") === "Play", ROOT, { timeout: 60000 });
  assert.equal(await stepOf(page), last, "stopped at the end");

  // On, by keyboard: Play (enabled again at the end) starts from 0, reaches
  // the end and goes on.
  await repeat.focus();
  await page.keyboard.press("Enter");
  assert.equal(await repeat.getAttribute("aria-pressed"), "true");
  assert.equal((await repeat.textContent()).trim(), "⟲ Repeat: on");
  await page.click(`${ROOT} button.play`);
  await page.waitForFunction(
    ([r, last]) => Number(document.querySelector(`${r} .step-count`).textContent.split(" / ")[0]) >= last - 1,
    [ROOT, last],
    { timeout: 60000, polling: 10 },
  );
  await page.waitForFunction(
    ([r, last]) => Number(document.querySelector(`${r} .step-count`).textContent.split(" / ")[0]) < last / 2,
    [ROOT, last],
    { timeout: 60000, polling: 10 },
  );
  assert.equal(await page.getAttribute(`${ROOT} button.play`, "aria-label"), "Pause", "still playing after the wrap");

  // Off again: the next end stops it.
  await repeat.click();
  await page.waitForFunction((r) => document.querySelector(`${r} button.play`).getAttribute("aria-label") === "Play", ROOT, { timeout: 60000 });
  assert.equal(await stepOf(page), last);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
