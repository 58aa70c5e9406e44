// Drives the `gotong serve` page in headless Debian chromium: node serve_page.mjs URL SCREENSHOT.
// Fails (exit 1) on any check that does not hold, a page error, or a request that leaves
// the server's own origin. Run by tests/browser/serve.sh.
import { chromium } from "playwright-core";
import assert from "node:assert/strict";

const [url, screenshot] = process.argv.slice(2);
const origin = new URL(url).origin;
const api = async (path, body) => {
  const response = await fetch(origin + path, body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
};
const until = async (what, check, seconds = 30) => {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

// Playwright starts chromium with a new empty profile (--user-data-dir of its own).
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const problems = [];
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("request", (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith("ws://" + new URL(url).host)) {
      problems.push(`external request: ${r.url()}`);
    }
  });
  await page.goto(url);
  await until("the socket", async () => (await page.textContent("#connection")) === "connected");
  const before = (await api("/api/state")).json;
  assert.equal(before.playing, false);
  assert.equal(await page.textContent("#step-value"), String(before.step));

  // Play: the step advances, on the page and in the API.
  await page.click("#play");
  await until("three steps on the page", async () => +(await page.textContent("#step-value")) >= before.step + 3);
  const playing = (await api("/api/state")).json;
  assert.equal(playing.playing, true);
  assert.ok(playing.step >= before.step + 3, `API step ${playing.step}`);

  // Move the transparency slider: the lever changes in the API and the page shows it.
  assert.notEqual(playing.levers.transparency, 0.9);
  await page.locator("#lever-transparency").fill("0.9");
  await until("transparency 0.9 in the API", async () => (await api("/api/state")).json.levers.transparency === 0.9);
  // Updates keep coming while it plays; the page must show the new value, not an older one.
  await until("0.90 on the page", async () => (await page.textContent("#value-transparency")) === "0.90", 5);
  await page.waitForTimeout(1000);
  assert.equal(await page.textContent("#value-transparency"), "0.90");
  assert.equal(await page.inputValue("#lever-transparency"), "0.9");

  // Bahasa Indonesia: labels and captions switch.
  await page.selectOption("#language", "id");
  assert.equal(await page.textContent("#play"), "Jeda");
  assert.equal(await page.textContent("#connection"), "tersambung");
  assert.match(await page.textContent("[data-caption=transparency]"), /salah paham/);
  assert.equal(await page.textContent("[data-lever=transparency]"), "Transparansi");

  // A scandal at the next step, listed in the API and on the page.
  await page.click("#button-scandal");
  await until("the scandal in the API", async () =>
    (await api("/api/state")).json.events.some((e) => e.kind === "scandal" && e.value === 0.3));
  await until("the scandal on the page", async () => (await page.textContent("#events")).includes("Skandal"));

  // The charts and the network have been drawn (some pixel is not blank).
  for (const id of ["network", "chart-cooperation", "chart-trust", "chart-ties"]) {
    const inked = await page.evaluate((id) => {
      const c = document.getElementById(id);
      const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
      return false;
    }, id);
    assert.ok(inked, `${id} is blank`);
  }

  // Pause; let the layout settle a moment for the picture.
  await page.click("#play");
  await until("paused", async () => (await api("/api/state")).json.playing === false);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: screenshot });

  // Bad requests get 4xx with a message; the page's server keeps serving.
  const bad = await api("/api/levers", { transparency: 2 });
  assert.equal(bad.status, 400);
  assert.match(bad.json.error, /transparency.*\[0, 1\]/);
  assert.equal((await api("/api/state")).status, 200);
  assert.deepEqual(problems, []);
  console.log(`ok: played to step ${playing.step}, transparency 0.9, scandal listed, screenshot ${screenshot}`);
} finally {
  await browser.close();
}
