// The web reader in a real browser, for tests/web_browser_test.cc: Debian's chromium, headless,
// driven by puppeteer-core (tools/node_modules) over the reader `provarc serve` runs on
// 127.0.0.1: searching without diacritics, a diff, a hostile article and archived page, and that
// no request leaves the reader's origin. Usage:
//   node reader_check.mjs TOOLS_DIR CHROMIUM USER_DATA_DIR READER_URL IDS_JSON
// IDS_JSON names the test archive's articles and captures (tests/support/reader_archive.h).
// Prints one JSON object: {"checks": [{"name", "ok", "detail"}], "requests": [every URL the
// reader's pages asked for], "outside": [those not on the reader's origin], "dialogs": [...],
// "ms": total time}. Every check is also run once on a control page where nothing protects the
// hostile page, so that a check that cannot fail is seen to fail there.
import { createRequire } from "node:module";
import path from "node:path";

const [toolsDir, chromium, userDataDir, readerUrl, idsJson] = process.argv.slice(2);
const ids = JSON.parse(idsJson);
const require = createRequire(path.join(toolsDir, "package.json"));
const puppeteer = require("puppeteer-core");
const started = Date.now();
const origin = new URL(readerUrl).origin;
const results = { checks: [], requests: [], outside: [], dialogs: [], ms: 0 };
const TIMEOUT = 60000;

function check(name, ok, detail = "") {
  results.checks.push({ name, ok: Boolean(ok), detail: String(detail).slice(0, 2000) });
}

// Records every request a page (and its frames, in or out of process) makes, and its dialogs.
function watch(page, requests, dialogs) {
  page.on("request", (request) => requests.push(request.url()));
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss().catch(() => {});
  });
}

// The document's markup read through the DevTools protocol's DOM domain, which needs no script in
// the page: a sandboxed document (no allow-scripts) runs none, not even ours.
async function outerHtml(page, frameUrlPart) {
  const session = await page.createCDPSession();
  const { root } = await session.send("DOM.getDocument", { depth: -1, pierce: true });
  const found = [];
  const visit = (node) => {
    if (node.nodeName === "#document" && (node.documentURL || "").includes(frameUrlPart)) {
      found.push(node);
    }
    for (const child of node.children || []) visit(child);
    if (node.contentDocument) visit(node.contentDocument);
  };
  visit(root);
  const html = [];
  for (const doc of found) {
    const element = (doc.children || []).find((c) => c.nodeName === "HTML");
    if (element) {
      html.push((await session.send("DOM.getOuterHTML", { backendNodeId: element.backendNodeId }))
        .outerHTML);
    }
  }
  await session.detach();
  return html;
}

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  userDataDir,
  protocolTimeout: TIMEOUT,
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
  ],
});
try {
  // ---- Control: the hostile page with nothing to stop it (its requests are recorded, then
  // aborted, so nothing leaves even here). Its script changes the DOM, opens a dialog, asks for
  // the outside host: the checks below would see each of these.
  const hostileHtml = await (await fetch(`${origin}/raw/${ids.hostile_capture}`)).text();
  {
    const control = await browser.newPage();
    const requests = [], dialogs = [];
    watch(control, requests, dialogs);
    await control.setRequestInterception(true);
    control.on("request", (request) => request.abort().catch(() => {}));
    await control.setContent(hostileHtml, { waitUntil: "load", timeout: TIMEOUT });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const pwned = await control.evaluate(() => document.documentElement.getAttribute("data-pwned"));
    check("control: the hostile page's script changes the DOM when it runs", pwned !== null, pwned);
    check("control: its dialogs are seen", dialogs.length > 0, dialogs.join(" | "));
    check("control: its requests to the outside host are seen",
          requests.some((u) => u.includes(ids.outside_host)), requests.join(" "));
    await control.close();
  }

  const page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.setDefaultNavigationTimeout(TIMEOUT);
  watch(page, results.requests, results.dialogs);

  // ---- The sites page.
  await page.goto(`${origin}/`, { waitUntil: "load" });
  check("the sites page lists dong-thap",
        await page.$eval("main", (m) => m.innerText.includes("dong-thap")));

  // ---- Searching without diacritics, as a newcomer would: type into the header's search box on
  // the sites page and submit (a plain GET form: no script).
  await page.type("header form.search input[name=q]", "dong thap");
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }),
                     page.click("header form.search button[type=submit]")]);
  const searchUrl = new URL(page.url());
  check("the search box leads to /search?q=dong thap",
        searchUrl.pathname === "/search" && searchUrl.searchParams.get("q") === "dong thap",
        page.url());
  const hits = await page.$$eval("main ol.results > li", (all) => all.map((li) => ({
    href: li.querySelector("a.title").getAttribute("href"),
    title: li.querySelector("a.title").textContent,
    marks: [...li.querySelectorAll(".snippet mark")].map((m) => m.textContent),
  })));
  const found = hits.find((hit) => hit.href === `/article/${ids.dong_thap_article}`);
  check("searching \"dong thap\" finds the Đồng Tháp article",
        found !== undefined && found.title.includes("Đồng Tháp"), JSON.stringify(hits));
  check("its snippet highlights the words as written, Đồng Tháp",
        found !== undefined && found.marks.includes("Đồng") && found.marks.includes("Tháp"),
        JSON.stringify(found));
  const result = `main ol.results a.title[href="/article/${ids.dong_thap_article}"]`;
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click(result)]);
  check("the search result opens the article",
        (await page.$eval("main h1", (h) => h.textContent)).includes("Đồng Tháp"), page.url());

  // ---- An article whose title is markup and whose text holds a script: both shown as text.
  const dialogsBefore = results.dialogs.length;
  await page.goto(`${origin}/article/${ids.hostile_article}`, { waitUntil: "load" });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const title = await page.$eval("main h1", (h) => h.textContent);
  check("the HTML title is shown as text", title === ids.hostile_title, title);
  const bodyText = await page.$eval("main", (m) => m.innerText);
  check("the script in the text is shown as text", bodyText.includes(ids.hostile_body_script),
        bodyText.slice(0, 400));
  const handlers = await page.$$eval("main *", (all) =>
    all.filter((e) => [...e.attributes].some((a) => a.name.startsWith("on"))).length);
  check("no element of the article has an event handler", handlers === 0, handlers);
  const scripts = await page.$$eval("script", (all) => all.length);
  check("the article page has no script element", scripts === 0, scripts);
  check("no dialog opened on the article page", results.dialogs.length === dialogsBefore,
        results.dialogs.join(" | "));
  const image = await page.$eval(`main img[src="/raw/${ids.image_capture}"]`,
                                 (img) => img.complete && img.naturalWidth);
  check("the article's image is served from the archive", image === 1, image);

  // ---- The diff of an edited article shows the added sentence as an insertion.
  await page.goto(`${origin}/article/${ids.edited_article}/diff`, { waitUntil: "load" });
  const inserted = await page.$$eval("main .diff ins", (all) => all.map((e) => e.textContent));
  check("the diff marks the added sentence",
        inserted.some((text) => text.includes(ids.added_sentence)), inserted.join(" | "));
  const deleted = await page.$$eval("main .diff del", (all) => all.length);
  check("the diff deletes nothing", deleted === 0, deleted);

  // ---- The hostile page as archived, in its sandboxed frame: its script does not run.
  await page.goto(`${origin}/capture/${ids.hostile_capture}`, { waitUntil: "load" });
  const frameLoaded = await page.waitForFrame(
    (frame) => frame.url().includes(`/archived/${ids.hostile_capture}`), { timeout: TIMEOUT });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const sandbox = await page.$eval("iframe.archived", (f) => f.getAttribute("sandbox"));
  check("the frame is sandboxed without scripts or the reader's origin",
        !sandbox.includes("allow-scripts") && !sandbox.includes("allow-same-origin"), sandbox);
  const framed = await outerHtml(page, `/archived/${ids.hostile_capture}`);
  check("the archived page is in the frame",
        framed.length === 1 && framed[0].includes("bài liên quan"),
        `${frameLoaded.url()} ${framed.length}`);
  check("the archived page's script did not change its DOM",
        framed.length === 1 && !framed[0].includes("data-pwned"), (framed[0] || "").slice(0, 300));
  check("no dialog opened on the capture page", results.dialogs.length === dialogsBefore,
        results.dialogs.join(" | "));

  // The same page opened alone (as a link or a bookmark would): the CSP sandbox still holds.
  await page.goto(`${origin}/archived/${ids.hostile_capture}`, { waitUntil: "load" });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const alone = await outerHtml(page, `/archived/${ids.hostile_capture}`);
  check("opened alone, the archived page's script does not run either",
        alone.length === 1 && alone[0].includes("bài liên quan") &&
          !alone[0].includes("data-pwned"),
        (alone[0] || "").slice(0, 300));
  check("no dialog opened on the archived page alone", results.dialogs.length === dialogsBefore,
        results.dialogs.join(" | "));

  // ---- The runs page renders.
  await page.goto(`${origin}/runs`, { waitUntil: "load" });
  check("the runs page lists run 2",
        await page.$eval("main", (m) => m.innerText.includes("Lượt 2")));

  await page.close();
} catch (error) {
  check("the browser session ran to its end", false, error && error.stack ? error.stack : error);
} finally {
  await browser.close();
}
results.outside = results.requests.filter((u) => {
  if (u.startsWith("data:") || u.startsWith("about:")) return false;
  try {
    return new URL(u).origin !== origin;
  } catch {
    return true;
  }
});
results.ms = Date.now() - started;
console.log(JSON.stringify(results));
