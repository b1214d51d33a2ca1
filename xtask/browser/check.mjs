// Drives Debian's Chromium through the demo page: an axe-core audit of the whole page, the
// reduced-motion and forced-colours behaviour, the console (at most one warning, no error, no
// CSP violation), screenshots of every size and theme, and the time from DOMContentLoaded to a
// gauge painted with figures, over 20 loads. Prints one JSON summary; exits 1 if a check fails.
//
// With SITE_URL (the example's folder from `jauge build`, served by `jauge serve`): embed.html
// audited too, and the static snippet checked to turn into the live gauge without moving.
//
//   node check.mjs http://127.0.0.1:PORT/ OUT_DIR [SITE_URL]
import { chromium } from "playwright-core";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const [base, out, site, hostile, hostileName] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic"],
});
const checks = [];
const check = (name, ok, detail) => checks.push({ name, ok: Boolean(ok), detail });

async function open(options = {}) {
  const context = await browser.newContext({ viewport: { width: 900, height: 1800 }, ...options });
  const page = await context.newPage();
  const console = [];
  page.on("console", (m) => { if (["error", "warning"].includes(m.type())) console.push(`${m.type()}: ${m.text()}`); });
  page.on("pageerror", (e) => console.push(`pageerror: ${e.message}`));
  // Times the first paint with figures (an init script is not subject to the page's CSP).
  await page.addInitScript(() => {
    window.__jauge = { sceneBoxes: new Map() };
    // Each scene's box as first laid out (its drawing is asked for only after the first paint).
    new MutationObserver(() => document.querySelectorAll(".jauge__scene").forEach((scene) => {
      if (!window.__jauge.sceneBoxes.has(scene)) {
        window.__jauge.sceneBoxes.set(scene, { height: Math.round(scene.getBoundingClientRect().height), image: !!scene.querySelector("img") });
      }
    })).observe(document, { childList: true, subtree: true });
    document.addEventListener("DOMContentLoaded", () => {
      window.__jauge.ready = performance.now();
      const seen = () => {
        if (document.querySelector(".jauge__raised")) {
          requestAnimationFrame(() => requestAnimationFrame(() => { window.__jauge.painted = performance.now(); }));
          return true;
        }
        return false;
      };
      if (!seen()) {
        const observer = new MutationObserver(() => { if (seen()) observer.disconnect(); });
        observer.observe(document, { childList: true, subtree: true });
      }
    });
  });
  const response = await page.goto(base);
  await page.waitForFunction(() => window.__jauge && window.__jauge.painted, null, { timeout: 15000 });
  return { context, page, console, response };
}

// The page, as served: under its strict CSP, with a clean console.
{
  const { context, page, console, response } = await open();
  const csp = response.headers()["content-security-policy"] || "";
  check("served under a strict Content-Security-Policy", csp.includes("default-src 'self'") && !csp.includes("unsafe-inline"), csp);
  await page.waitForTimeout(1800);
  check("console: no error, no CSP violation", console.length === 0, console);
  const gauges = await page.locator(".jauge").count();
  check("every [data-jauge] element mounted", gauges === 6, gauges);
  const links = await page.$$eval(".jauge", (all) => all.map((g) =>
    [...g.querySelectorAll("a.jauge__donate")].map((a) => ({ href: a.href, text: a.textContent, tab: a.tabIndex }))));
  check("every gauge has one donate link, in its language, reachable by keyboard",
    links.every((l) => l.length === 1 && l[0].href.startsWith("https://") && l[0].tab === 0)
      && links.some((l) => l[0] && l[0].href === "https://soutenir.framasoft.org/" && l[0].text === "Faire un don"), links);
  await page.evaluate(axeSource);
  const audit = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) })));
  check("axe-core: no violation on the whole page (light and dark gauges)", audit.length === 0, audit);
  const transition = await page.$eval(".jauge__fill", (e) => getComputedStyle(e).transitionDuration);
  check("the fill animates by default", transition !== "0s", transition);
  // The scene: one drawing beside the status document, loaded after the first paint into a box
  // of its size (the box measured before the image was asked for, by the init script).
  const scenes = await page.$$eval(".jauge__scene", (all) => all.map((s) => {
    const img = s.querySelector(".jauge__scene-view--now");
    const box = s.getBoundingClientRect();
    return { view: s.dataset.view, src: img && img.getAttribute("src"), loaded: img && img.complete && img.naturalWidth > 0,
      ratio: Math.round((box.width / box.height) * 100) / 100 };
  }));
  check("every scene shows its view of scene.svg, loaded, in a 2:1 box",
    scenes.length === 4 && scenes.every((s) => s.loaded && /^scene\.svg\?v=[0-9a-f]{8}#[sfb][0-4]?$/.test(s.src) && s.src.endsWith(`#${s.view}`) && s.ratio === 2), scenes);
  const boxes = await page.evaluate(() => [...document.querySelectorAll(".jauge__scene")].map((s) =>
    ({ first: window.__jauge.sceneBoxes.get(s), after: Math.round(s.getBoundingClientRect().height) })));
  check("the scene's box is laid out before its drawing is asked for, and does not move when it arrives",
    boxes.length === 4 && boxes.every((b) => b.first && !b.first.image && b.first.height > 0 && b.first.height === b.after), boxes);
  const sceneAnimation = await page.$eval(".jauge__scene-view--now", (e) => getComputedStyle(e).animationName);
  check("a new stage fades in", sceneAnimation === "jauge-scene-in", sceneAnimation);
  const announcers = await page.$$eval("[data-jauge-announces]", (all) => all.length);
  check("one gauge of the page tells screen readers of new figures (not one per gauge)", announcers === 1, announcers);
  await page.screenshot({ path: `${out}/page.png`, fullPage: true });
  for (const id of ["full-light", "full-dark", "compact-light", "compact-dark", "bar-light", "bar-dark"]) {
    await page.locator(`#${id}`).screenshot({ path: `${out}/${id}.png` });
  }
  await context.close();
}

// A 320 px window zoomed to 200 %: 160 CSS px. Nothing of a gauge wider than the gauge.
{
  const { context, page } = await open({ viewport: { width: 160, height: 1800 } });
  await page.waitForTimeout(300);
  const wide = await page.$$eval(".jauge", (all) => all.flatMap((g) => {
    const edge = g.getBoundingClientRect().right;
    return [...g.querySelectorAll(".jauge__headline, .jauge__figures, .jauge__donate, .jauge__scene, .jauge__name")]
      .map((e) => ({ what: e.className, over: Math.round(e.getBoundingClientRect().right - edge) }))
      .filter((e) => e.over > 0);
  }));
  check("at 160 CSS px (320 px at 200 % zoom) nothing overflows a gauge", wide.length === 0, wide);
  await context.close();
}

// Reduced motion: no animation at all.
{
  const { context, page } = await open({ reducedMotion: "reduce" });
  const transition = await page.$eval(".jauge__fill", (e) => getComputedStyle(e).transitionDuration);
  check("no animation under prefers-reduced-motion", transition === "0s", transition);
  await page.waitForSelector(".jauge__scene-view--now", { timeout: 10000 });
  const fade = await page.$eval(".jauge__scene-view--now", (e) => getComputedStyle(e).animationName);
  check("no scene fade under prefers-reduced-motion", fade === "none", fade);
  await context.close();
}

// Forced colours (Windows high contrast): system colours, the bar outlined.
{
  const { context, page } = await open({ forcedColors: "active" });
  await page.waitForTimeout(300);
  const track = await page.$eval(".jauge__track", (e) => getComputedStyle(e).stroke);
  check("forced colours: the bar keeps an outline", track !== "none" && track !== "", track);
  await page.locator("#full-light").screenshot({ path: `${out}/forced-colors.png` });
  await context.close();
}

// Failure: a status URL that answers 500 leaves readable text and one warning, never a blank box.
{
  const context = await browser.newContext();
  const page = await context.newPage();
  const console = [];
  page.on("console", (m) => { if (["error", "warning"].includes(m.type())) console.push(`${m.type()}: ${m.text()}`); });
  await page.goto(`${base}broken.html`);
  await page.waitForSelector(".jauge__fallback", { timeout: 15000 });
  await page.waitForTimeout(500);
  const text = await page.textContent(".jauge__fallback");
  const warnings = console.filter((c) => c.startsWith("warning: jauge"));
  // Chromium itself reports the failed request; that line is the browser's, not the widget's.
  const others = console.filter((c) => !c.startsWith("warning: jauge") && !c.includes("Failed to load resource"));
  check("a failing source shows readable text", text && text.length > 20, text);
  check("a failing source logs exactly one warning", warnings.length === 1 && others.length === 0, console);
  await context.close();
}

// Polling where no push stream is offered: every data-refresh seconds (here 1, a fifth more or
// less), and not at all while the tab is hidden (the page is told it is, as a background tab is).
{
  const polls = {};
  for (const hidden of [false, true]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    if (hidden) {
      await page.addInitScript(() => {
        Object.defineProperty(document, "hidden", { get: () => true });
        Object.defineProperty(document, "visibilityState", { get: () => "hidden" });
      });
    }
    let count = 0;
    page.on("request", (r) => { if (new URL(r.url()).pathname === "/status.json") count++; });
    await page.goto(`${base}polling.html`);
    await page.waitForFunction(() => document.querySelector(".jauge__raised"), null, { timeout: 15000 });
    const first = count;
    await page.waitForTimeout(4000);
    polls[hidden ? "hidden" : "visible"] = count - first;
    await context.close();
  }
  check("a visible gauge polls about every data-refresh seconds (3 to 5 polls in 4 s at 1 s)",
    polls.visible >= 3 && polls.visible <= 5, polls);
  check("a hidden tab's gauge does not poll", polls.hidden === 0, polls);
}

// Every stage of the example campaign in both sizes and themes: the contact sheet.
{
  const context = await browser.newContext({ viewport: { width: 1500, height: 1200 } });
  const page = await context.newPage();
  await page.goto(`${base}stages.html`);
  await page.waitForFunction(() => document.querySelectorAll(".jauge__scene").length >= 28, null, { timeout: 20000 });
  await page.waitForFunction(() => [...document.querySelectorAll(".jauge__scene")].every((s) => {
    const img = s.querySelector(".jauge__scene-view--now");
    return img && img.complete && img.naturalWidth > 0;
  }), null, { timeout: 20000 });
  await page.waitForTimeout(1500);
  const views = await page.$$eval("[data-size=full][data-theme=light] .jauge__scene", (scenes) => scenes.map((s) => s.dataset.view));
  check("the stages show the drawing's views: before the start, each stage, the final hours, the goal reached",
    ["b", "s0", "s1", "s2", "s3", "f3", "s4", "f4"].every((v) => views.includes(v)), views);
  const alts = await page.$$eval("[data-size=full][data-theme=light] .jauge__scene", (scenes) => scenes.map((s) => s.getAttribute("aria-label")));
  check("every stage has its own alt text", new Set(alts).size >= 5 && alts.every((a) => a && a.length > 20), alts);
  await page.screenshot({ path: `${out}/stages.png`, fullPage: true });
  await context.close();
}

// The built site: the static snippet upgrades to the live gauge in place, and the page that
// explains embedding passes the same audit.
if (site) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 2000 } });
  const page = await context.newPage();
  const console = [];
  page.on("console", (m) => { if (["error", "warning"].includes(m.type())) console.push(`${m.type()}: ${m.text()}`); });
  page.on("pageerror", (e) => console.push(`pageerror: ${e.message}`));
  // The snippet's box and the gap to what follows it, as the server drew it (before any
  // script ran), measured from the page itself.
  await page.addInitScript(() => {
    document.addEventListener("DOMContentLoaded", () => {
      const box = document.querySelector("#snippet .jauge-snippet").getBoundingClientRect();
      const next = document.querySelector("#snippet").nextElementSibling.getBoundingClientRect();
      window.__snippet = { width: box.width, height: box.height, gap: next.top - box.top, live: !!document.querySelector(".jauge-live") };
    });
  });
  await page.goto(`${site}embed.html`);
  await page.waitForFunction(() => document.querySelector("#snippet .jauge-live .jauge") && document.querySelectorAll("#snippet .jauge").length === 1, null, { timeout: 15000 });
  await page.waitForTimeout(800);
  const before = await page.evaluate(() => window.__snippet);
  const after = await page.evaluate(() => {
    const box = document.querySelector("#snippet .jauge-snippet").getBoundingClientRect();
    const next = document.querySelector("#snippet").nextElementSibling.getBoundingClientRect();
    return { width: box.width, height: box.height, gap: next.top - box.top };
  });
  const same = !before.live && ["width", "height", "gap"].every((k) => Math.abs(before[k] - after[k]) < 0.5);
  check("the static snippet becomes the live gauge without moving (same box, same gap below)", same, { before, after });
  check("embed.html: console clean", console.length === 0, console);
  await page.evaluate(axeSource);
  const audit = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) })));
  check("axe-core: no violation on embed.html (live gauge, snippet, badges, card, charts)", audit.length === 0, audit);
  await page.screenshot({ path: `${out}/embed.png`, fullPage: true });
  await page.locator("#snippet").screenshot({ path: `${out}/snippet-upgraded.png` });
  await context.close();
  // Without script: what a CMS or a feed reader shows.
  const still = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1000, height: 2000 } });
  const plain = await still.newPage();
  await plain.goto(`${site}embed.html`);
  const raised = await plain.textContent("#snippet .jauge__raised");
  check("without script the snippet shows the figures", raised && raised.length > 1, raised);
  await plain.locator("#snippet").screenshot({ path: `${out}/snippet-static.png` });
  await still.close();
  // The newsletter form, as a mail client with no script shows it, on a phone and on a desktop.
  for (const width of [320, 600]) {
    const mail = await browser.newContext({ javaScriptEnabled: false, viewport: { width, height: 900 } });
    const page = await mail.newPage();
    await page.goto(`${site}snippet-mail.html`);
    await page.waitForLoadState("load");
    const shown = await page.evaluate(() => ({
      overflow: document.documentElement.scrollWidth - innerWidth,
      scene: document.querySelector("img").naturalWidth,
      bar: [...document.querySelectorAll("td[height='12']")].map((td) => Math.round(td.getBoundingClientRect().width)),
      button: document.querySelector("a") && document.querySelector("a").getBoundingClientRect().height,
    }));
    check(`mail form at ${width} px: fits, scene loaded at 2x, bar drawn, button shown`,
      shown.overflow <= 0 && shown.scene === 640 && shown.bar.length >= 1 && shown.bar.every((w) => w > 0) && shown.button > 30, shown);
    await page.screenshot({ path: `${out}/mail-${width}.png`, fullPage: true });
    await mail.close();
  }
}

// Sharing by link: the preview card a Mastodon post shows, drawn from the public page's own tags
// (its card, title, description), and the gauge in a blog post as WordPress embeds an untrusted
// provider (the frame sandboxed and hidden until it posts its height with the secret).
if (site) {
  const esc = (t) => String(t ?? "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const context = await browser.newContext({ viewport: { width: 640, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${site}index.html`);
  const meta = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll("meta[property], meta[name]")]
    .map((m) => [m.getAttribute("property") || m.getAttribute("name"), m.getAttribute("content")])));
  const image = new URL(meta["og:image"], `${site}index.html`).href;
  await page.setContent(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A post</title></head>
<body style="margin:0;background:#191b22;font:15px/1.4 system-ui,sans-serif;color:#fff">
<article id="post" style="width:560px;padding:16px;border-bottom:1px solid #393f4f">
<p style="margin:0 0 4px"><strong>Framasoft</strong> <span style="color:#9baec8">@framasoft@framapiaf.org</span></p>
<p style="margin:0 0 12px">Five days left to balance our budget. Every gift counts: soutenir.framasoft.org</p>
<a href="${esc(meta["og:url"] || site)}" style="display:block;border:1px solid #393f4f;border-radius:8px;overflow:hidden;color:inherit;text-decoration:none">
<img src="${esc(image)}" alt="${esc(meta["og:image:alt"])}" width="${esc(meta["og:image:width"])}" height="${esc(meta["og:image:height"])}" style="display:block;width:100%;height:auto">
<div style="padding:12px 14px"><div style="color:#9baec8;font-size:13px">${esc(new URL(site).host)}</div>
<div style="font-weight:700;margin:2px 0">${esc(meta["og:title"])}</div>
<div style="color:#d9e1e8;font-size:14px">${esc(meta["og:description"])}</div></div></a></article></body></html>`);
  await page.waitForFunction(() => { const i = document.querySelector("#post img"); return i.complete && i.naturalWidth > 0; }, null, { timeout: 10000 });
  const preview = await page.evaluate(() => ({ width: document.querySelector("#post img").naturalWidth, text: document.querySelector("#post a").innerText }));
  check("a link preview from the page's tags: the 1200 px card, the title and the appeal",
    preview.width === 1200 && preview.text.includes("Framasoft 2023") && /\d/.test(preview.text), preview);
  await page.locator("#post").screenshot({ path: `${out}/link-preview.png` });
  const secret = "Ab12Cd34Ef";
  await page.setContent(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A blog post</title></head>
<body style="margin:0;background:#fff;color:#1e1e1e;font:17px/1.6 Georgia,serif">
<main id="blog" style="width:600px;padding:24px">
<h1 style="font-size:28px;margin:0 0 8px">Our year-end campaign</h1>
<p style="margin:0 0 16px">Where we stand this morning, live:</p>
<blockquote class="wp-embedded-content" style="display:none"><a href="${esc(site)}">Framasoft 2023</a></blockquote>
<iframe class="wp-embedded-content" sandbox="allow-scripts" security="restricted" title="Framasoft 2023"
 style="position:absolute;clip:rect(1px,1px,1px,1px)" src="${esc(site)}frame.html#?secret=${secret}"
 width="600" height="338" frameborder="0" marginwidth="0" marginheight="0" scrolling="no"></iframe>
<p style="margin:16px 0 0">Thank you for sharing this post.</p></main>
<script>addEventListener("message", (e) => { const d = e.data || {}; if (d.secret !== "${secret}" || d.message !== "height") return;
const f = document.querySelector("iframe"); f.height = Math.min(Math.max(Number(d.value) || 0, 200), 1000); f.removeAttribute("style"); });</script>
</body></html>`);
  await page.waitForFunction(() => !document.querySelector("iframe").hasAttribute("style"), null, { timeout: 15000 });
  await page.waitForTimeout(1500);
  const framed = await page.evaluate(() => Number(document.querySelector("iframe").height));
  check("a WordPress post shows the framed gauge once it posts its height with the secret", framed >= 200 && framed <= 1000, framed);
  await page.locator("#blog").screenshot({ path: `${out}/wordpress-embed.png` });
  await context.close();
}

// A campaign whose name, milestone and appeal are markup and scripts: no dialog may open, and
// the name shows as the text it is, in the live gauge and in the static snippet.
if (hostile) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 2000 } });
  const page = await context.newPage();
  const dialogs = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  for (const name of ["embed.html", "snippet.html"]) {
    await page.goto(`${hostile}${name}`);
    await page.waitForSelector(".jauge__raised");
    await page.waitForTimeout(1500);
    const shown = await page.evaluate((text) => document.body.innerText.includes(text), hostileName);
    check(`hostile campaign, ${name}: its name shows as text`, shown, hostileName);
    const injected = await page.evaluate(() => document.querySelectorAll("img[src=x], svg[onload], [onerror]").length);
    check(`hostile campaign, ${name}: no element came from its text`, injected === 0, injected);
  }
  check("hostile campaign: no dialog opened", dialogs.length === 0, dialogs);
  await context.close();
}

// The HTML report reads on a phone and on a 1,000 px page: nothing wider than the window.
if (site) {
  for (const width of [320, 1000]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${site}report.html`);
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    check(`report.html at ${width} px: no wider than the window`, scroll <= width, { scroll });
    await page.screenshot({ path: `${out}/report-${width}.png` });
    await context.close();
  }
}

// Live from another site: a blog page on another origin embeds the gauge of a campaign that
// `jauge serve` runs on the real clock; a signed gift posted to the webhook shows on the open
// page within 2 s (pushed, not polled), and the console stays clean (no CORS refusal).
if (process.env.LIVE_PAGE) {
  const { createHmac } = await import("node:crypto");
  const context = await browser.newContext({ viewport: { width: 700, height: 900 } });
  const page = await context.newPage();
  const console = [];
  page.on("console", (m) => { if (["error", "warning"].includes(m.type())) console.push(`${m.type()}: ${m.text()} (${m.location().url})`); });
  await page.goto(process.env.LIVE_PAGE);
  await page.waitForFunction(() => document.querySelector(".jauge__raised"), null, { timeout: 15000 });
  const before = await page.locator(".jauge__raised").first().innerText();
  // Wait for the push stream to be open before the gift, as a page open for a while would be.
  await page.waitForTimeout(1500);
  const now = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({ id: "evt_browser", object: "event", api_version: "2024-06-20", type: "charge.succeeded",
    created: now, livemode: true, data: { object: { id: "ch_browser", object: "charge", amount: 4500, amount_refunded: 0,
      currency: "eur", created: now, status: "succeeded", paid: true, billing_details: { email: "browser@example.org" } } } });
  const signature = createHmac("sha256", process.env.LIVE_SECRET).update(`${now}.${body}`).digest("hex");
  const posted = await fetch(`${process.env.LIVE_GAUGE}hooks/stripe`, {
    method: "POST", body, headers: { "Content-Type": "application/json", "Stripe-Signature": `t=${now},v1=${signature}` } });
  const answered = performance.now();
  let shown_ms = null;
  try {
    await page.waitForFunction((old) => document.querySelector(".jauge__raised")?.innerText !== old, before, { timeout: 10000 });
    shown_ms = Math.round(performance.now() - answered);
  } catch { /* reported below */ }
  const after = await page.locator(".jauge__raised").first().innerText();
  check("live from another origin: the webhook took the gift", posted.status === 200, posted.status);
  check("live from another origin: a gift shows on the open page within 2 s of its 2xx", shown_ms !== null && shown_ms <= 2000,
    { before, after, shown_ms });
  check("live from another origin: console clean (no CORS refusal)", console.length === 0, console);
  // Two gauges on one status document: the gift is said once.
  await page.waitForTimeout(300);
  const said = await page.$$eval(".jauge__sr", (all) => all.map((p) => p.textContent));
  check("two gauges of one campaign on a page: a new gift is announced once", said.length === 2 && said.filter((t) => t).length === 1, said);
  process.stderr.write(`live gauge on another origin: the gift showed ${shown_ms} ms after its 2xx (${before} -> ${after})\n`);
  await page.screenshot({ path: `${out}/live-cross-origin.png` });
  await context.close();
}

// Time from DOMContentLoaded to the gauge painted with figures, 20 loads.
const paints = [];
for (let i = 0; i < 20; i++) {
  const { context, page } = await open();
  paints.push(await page.evaluate(() => window.__jauge.painted - window.__jauge.ready));
  await context.close();
}
paints.sort((a, b) => a - b);
const median = (paints[9] + paints[10]) / 2;
await browser.close();

const summary = {
  passed: checks.filter((c) => c.ok).length,
  failed: checks.filter((c) => !c.ok).length,
  paint_ms: { median: Math.round(median * 10) / 10, min: Math.round(paints[0] * 10) / 10, max: Math.round(paints[19] * 10) / 10, loads: 20 },
  checks,
};
writeFileSync(`${out}/summary.json`, JSON.stringify(summary, null, 2));
for (const c of checks) console.log(`${c.ok ? "ok  " : "FAIL"} ${c.name}${c.ok ? "" : `: ${JSON.stringify(c.detail)}`}`);
console.log(`paint after DOMContentLoaded: median ${summary.paint_ms.median} ms over 20 loads (min ${summary.paint_ms.min}, max ${summary.paint_ms.max})`);
console.log(`browser checks: ${summary.passed} passed, ${summary.failed} failed`);
process.exit(summary.failed ? 1 : 0);
