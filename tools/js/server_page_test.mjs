// Browser check of the web page at GET /: headless Debian chromium driven by playwright-core. Starts
// `./auricle serve` on a free loopback port, uploads jfk, waits for the streamed transcript, checks the
// words, clicks a word to seek, checks that the highlighted word is the one at the player's position, and
// saves screenshots (out/page.png, out/highlight.png) that it decodes and looks at. Opt-in: ./run-browser-test.
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
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


// The page's highlighted word must be the one at the player's position: the last word started by then (the
// page's rule), and, when `expected` is given, that word.
async function checkHighlight(when, expected) {
  const { t, current, due } = await page.evaluate(() => {
    const t = document.querySelector("#player").currentTime;
    const words = [...document.querySelectorAll(".word")];
    const due = words.filter((w) => Number(w.dataset.start) <= t + 1e-3).pop();
    const current = [...document.querySelectorAll(".word.current")];
    return { t, current: current.map((w) => [w.textContent, Number(w.dataset.start), Number(w.dataset.end)]),
      due: due ? [due.textContent, Number(due.dataset.start), Number(due.dataset.end)] : null };
  });
  check(`${when}: one word highlighted, the one at the play head (${t.toFixed(2)} s)`, () => {
    assert.equal(current.length, 1, JSON.stringify(current));
    assert.deepEqual(current[0], due);
    assert.ok(current[0][1] <= t + 1e-3 && t <= current[0][2] + 0.5, JSON.stringify({ current, t }));
    if (expected) assert.equal(current[0][0], expected);
  });
}

// The screenshot must be a real picture of the transcript: decoded (by the browser itself), not blank, and
// showing the highlight colour (#ffd54f) inside the highlighted word's box.
async function checkScreenshot() {
  const png = readFileSync(resolve(out, "highlight.png"));
  const box = await page.locator("#transcript").boundingBox();
  const word = await page.locator(".word.current").boundingBox();
  const stats = await page.evaluate(async ({ b64, box, word }) => {
    const img = new Image();
    img.src = "data:image/png;base64," + b64;
    await img.decode();
    const c = document.createElement("canvas");
    c.width = img.width; c.height = img.height;
    const g = c.getContext("2d");
    g.drawImage(img, 0, 0);
    const all = g.getImageData(0, 0, c.width, c.height).data;
    const colours = new Set();
    for (let i = 0; i < all.length; i += 4) colours.add((all[i] << 16) | (all[i + 1] << 8) | all[i + 2]);
    const scale = img.width / box.width;
    const x = Math.round((word.x - box.x) * scale), y = Math.round((word.y - box.y) * scale);
    const inWord = g.getImageData(x, y, Math.max(1, Math.round(word.width * scale)), Math.max(1, Math.round(word.height * scale))).data;
    let yellow = 0;
    for (let i = 0; i < inWord.length; i += 4) {
      if (Math.abs(inWord[i] - 0xff) < 8 && Math.abs(inWord[i + 1] - 0xd5) < 8 && Math.abs(inWord[i + 2] - 0x4f) < 8) yellow++;
    }
    return { width: img.width, height: img.height, colours: colours.size, yellowShare: yellow / (inWord.length / 4) };
  }, { b64: png.toString("base64"), box, word });
  check(`screenshot written and not blank (${png.length} bytes, ${stats.width}x${stats.height}, ${stats.colours} colours)`,
    () => assert.ok(png.length > 1000 && stats.width > 100 && stats.height > 20 && stats.colours > 10, JSON.stringify(stats)));
  check(`screenshot shows the highlight on the word's box (${(100 * stats.yellowShare).toFixed(0)} % of it)`,
    () => assert.ok(stats.yellowShare > 0.3, JSON.stringify(stats)));
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-dev-shm-usage", "--autoplay-policy=no-user-gesture-required"],
});
let page;
try {
  await ready();
  page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
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

  // Click a word in the middle of the first segment (jfk's first "country") to seek there.
  const target = page.locator(".word", { hasText: /^country$/ }).first();
  const start = Number(await target.getAttribute("data-start"));
  await target.click();
  const at = await page.$eval("#player", (p) => p.currentTime);
  check("click seeks the player to the word's start", () => assert.ok(Math.abs(at - start) < 0.05, `${at} vs ${start}`));
  await checkHighlight("after the click", "country");

  // Move the play head to the middle of another word, as playback would, and read the highlight again.
  const other = page.locator(".word", { hasText: /^Americans$/ }).first();
  const mid = await other.evaluate((w) => (Number(w.dataset.start) + Number(w.dataset.end)) / 2);
  await page.$eval("#player", (p, t) => new Promise((ok) => {
    p.addEventListener("seeked", () => ok(), { once: true });
    p.currentTime = t;
  }), mid);
  await checkHighlight("after a seek to mid-word", "Americans");

  // Play (muted, so headless autoplay is allowed) for a moment and check the word under the play head.
  const played = await page.$eval("#player", async (p) => {
    p.muted = true;
    p.currentTime = 1.0;
    await p.play();
    await new Promise((ok) => setTimeout(ok, 1500));
    p.pause();
    await new Promise((ok) => setTimeout(ok, 100)); // the pause's timeupdate
    return p.currentTime;
  });
  check("the player played", () => assert.ok(played > 1.2, `currentTime ${played}`));
  await checkHighlight(`after playing to ${played.toFixed(2)} s`, null);
  await page.locator("#transcript").screenshot({ path: resolve(out, "highlight.png") });
  await checkScreenshot();

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
