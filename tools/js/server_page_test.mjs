// Browser check of the web page at GET /: headless Debian chromium driven by playwright-core. Starts
// `./auricle serve` on a free loopback port, uploads jfk, waits for the streamed transcript, checks the
// words, clicks a word to seek, checks that the highlighted word is the one at the player's position, and
// saves screenshots (out/page.png, out/highlight.png). Opt-in (not in bin/test): npm install && npm test.
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const speech = process.env.AURICLE_SPEECH_DIR ?? resolve(root, "../shared/data/speech");
const jfk = resolve(speech, "jfk/jfk.wav");
const out = resolve(here, "out");
mkdirSync(out, { recursive: true });

const port = await new Promise((ok) => {
  const s = createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => ok(p)); });
});
const base = `http://127.0.0.1:${port}`;
const server = spawn(resolve(root, "auricle"), ["serve", "--model", "tiny.en", "--port", String(port)],
  { stdio: ["ignore", "inherit", "inherit"] });

async function ready() {
  for (let i = 0; i < 600; i++) {
    try { if ((await fetch(base + "/health")).ok) return; } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error("server not ready");
}

let passed = 0, failed = 0;
function check(name, fn) {
  try { fn(); passed++; console.log("ok    " + name); }
  catch (e) { failed++; console.log("FAIL  " + name + ": " + e.message); }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-dev-shm-usage", "--autoplay-policy=no-user-gesture-required"],
});
try {
  await ready();
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  await page.goto(base + "/");
  await page.waitForFunction(() => document.querySelectorAll("#model option").length > 0);
  await page.setInputFiles("#file", jfk);
  await page.click("#go");
  await page.waitForSelector("#transcript[data-done=true]", { timeout: 600_000 });
  const words = await page.$$eval(".word", (ws) => ws.map((w) => w.textContent));
  const text = words.join(" ");
  check("transcript shows jfk's words", () => assert.match(text, /ask not what your country can do for you/));
  const status = await page.textContent("#status");
  check("status line", () => assert.match(status, /^Done: 2 segments, 11\.0 s of english/));
  await page.screenshot({ path: resolve(out, "page.png"), fullPage: true });

  // Click the last word (the second segment when no word timestamps) and check the seek and the highlight.
  const target = page.locator(".word").last();
  const start = Number(await target.getAttribute("data-start"));
  await target.click();
  const at = await page.$eval("#player", (p) => p.currentTime);
  check("click seeks the player to the word's start", () => assert.ok(Math.abs(at - start) < 0.05, `${at} vs ${start}`));
  const current = await page.$$eval(".word.current", (ws) => ws.map((w) => [w.textContent, Number(w.dataset.start), Number(w.dataset.end)]));
  check("exactly one word highlighted, the one under the play head", () => {
    assert.equal(current.length, 1);
    assert.ok(current[0][1] <= at + 1e-3 && at <= current[0][2], JSON.stringify({ current, at }));
  });
  const targetText = await target.textContent();
  check("the highlighted word is the clicked one", () => assert.equal(current[0]?.[0], targetText));
  await page.locator("#transcript").screenshot({ path: resolve(out, "highlight.png") });

  // Downloads are built in the page from the streamed segments.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#downloads a[data-format=srt]")]);
  const srt = await (await download.createReadStream()).toArray();
  const srtText = Buffer.concat(srt).toString("utf8");
  check("srt download", () => assert.match(srtText, /^1\n00:00:\d\d,\d{3} --> 00:00:\d\d,\d{3}\nAnd so my fellow Americans[^\n]*\n\n2\n/));
} finally {
  await browser.close();
  server.kill("SIGTERM");
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
