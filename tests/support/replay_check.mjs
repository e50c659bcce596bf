// Replays a WACZ package in ReplayWeb.page, in Debian's headless chromium driven by
// puppeteer-core, for tests/cli_wacz_replay_test.cc. Usage:
//   node replay_check.mjs TOOLS_DIR PACKAGE.wacz PAGE_URL HEADLINE IMAGE_URL TIMEOUT_MS
//        [WORD FOUND_TITLE OTHER_TITLE]
// The replay is given TIMEOUT_MS, the search half as much; the script gives up 30 s after both.
// One server on 127.0.0.1 serves ReplayWeb.page's static files (ui.js at / and /replay/, its
// service worker sw.js at /replay/, the replay scope), an embedding page
// (<replay-web-page source="/archive.wacz" url=PAGE_URL>) and the package with Range requests.
// Requests are recorded three ways:
//   page_requests     what the page and its frames asked for (puppeteer's request events),
//                     whether the service worker answered them from the package or not;
//   content_requests  what went to the network from any page, frame or worker, the service
//                     worker's reads of the package included (CDP Fetch on the browser target,
//                     which also fails any of them that is not for this server);
//   network           every request chromium sent at all, Chromium's own included: the same
//                     server is its proxy for every host, loopback too
//                     (--proxy-bypass-list=<-loopback>), and answers 502 (403 to a CONNECT) for
//                     any other host, so nothing leaves 127.0.0.1; `foreign` lists those.
// Chromium asks accounts.google.com for the profile's accounts and update.googleapis.com for
// components by itself, whatever the flags; those show in `foreign` but, made by no page, never
// in content_requests. The script waits until a frame of the archived PAGE_URL shows HEADLINE
// and an <img> of IMAGE_URL has decoded. Given WORD, it then opens the package's page list
// searched for WORD (<replay-web-page view="pages" query=WORD>, ReplayWeb.page's full-text
// search over pages.jsonl) and waits until it lists FOUND_TITLE and not OTHER_TITLE. It prints
// one JSON object:
//   {"origin", "found", "frame", "image", "image_responses", "searched", "search_text",
//    "page_requests", "content_requests", "network", "foreign", "errors", "elapsed_ms"}
// and exits 0 (the test judges the result); 2 when it gave up.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";

const [toolsDir, packagePath, pageUrl, headline, imageUrl, timeoutArg, word, foundTitle,
       otherTitle] = process.argv.slice(2);
const timeoutMs = Number(timeoutArg || 120000);
const require = createRequire(path.join(toolsDir, "package.json"));
const puppeteer = require("puppeteer-core");
const rwpDir = path.join(toolsDir, "node_modules", "replaywebpage");

const started = Date.now();
const network = [];
const foreign = [];
let origin = "";

const types = {
  ".js": "application/javascript", ".html": "text/html; charset=utf-8", ".json": "application/json",
  ".gz": "application/gzip", ".wacz": "application/wacz", ".svg": "image/svg+xml",
};

const attribute = (text) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
// The embedding page: the archived page alone, or (/search) the page list searched for `word`.
const embedPage = (search) => `<!doctype html>
<html><head><meta charset="utf-8"><title>provarc replay test</title>
<script src="/ui.js"></script></head>
<body style="margin:0">
<replay-web-page style="display:block;height:100vh" source="/archive.wacz" replaybase="/replay/"
  ${search ? `view="pages" query="${attribute(word)}" embed="default"`
           : `url="${attribute(pageUrl)}" embed="replayonly"`}></replay-web-page>
</body></html>`;

// The package, whole or by one Range (ReplayWeb.page reads the ZIP's directory, then records).
function servePackage(req, res) {
  const size = fs.statSync(packagePath).size;
  const headers = { "Content-Type": types[".wacz"], "Accept-Ranges": "bytes" };
  const m = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range || "");
  let start = 0, end = size - 1, status = 200;
  if (m) {
    if (m[1] === "") { start = Math.max(0, size - Number(m[2])); } else {
      start = Number(m[1]);
      if (m[2] !== "") end = Math.min(end, Number(m[2]));
    }
    if (start > end || start >= size) {
      res.writeHead(416, { "Content-Range": `bytes */${size}` });
      return res.end();
    }
    status = 206;
    headers["Content-Range"] = `bytes ${start}-${end}/${size}`;
  }
  headers["Content-Length"] = end - start + 1;
  res.writeHead(status, headers);
  if (req.method === "HEAD") return res.end();
  fs.createReadStream(packagePath, { start, end }).pipe(res);
}

// ReplayWeb.page's files: ui.js and sw.js (and whatever else they ask for) at / and /replay/.
function serveStatic(pathname, res) {
  const relative = pathname.replace(/^\/replay\//, "/").replace(/^\/+/, "");
  const file = path.join(rwpDir, relative);
  if (!file.startsWith(rwpDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404, { "Content-Type": "text/plain" });
    return res.end("not found");
  }
  res.writeHead(200, { "Content-Type": types[path.extname(file)] || "application/octet-stream" });
  fs.createReadStream(file).pipe(res);
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, `http://${req.headers.host}`);  // absolute when proxied
  network.push(`${req.method} ${url.href}`);
  if (url.origin !== origin) {
    foreign.push(url.href);
    res.writeHead(502, { "Content-Type": "text/plain" });
    return res.end("provarc replay test: only 127.0.0.1 is served");
  }
  if (url.pathname === "/" || url.pathname === "/search") {
    res.writeHead(200, { "Content-Type": types[".html"] });
    return res.end(embedPage(url.pathname === "/search"));
  }
  if (url.pathname === "/archive.wacz") return servePackage(req, res);
  return serveStatic(url.pathname, res);
});
server.on("connect", (req, socket) => {  // https through the proxy: refused, recorded
  network.push(`CONNECT ${req.url}`);
  foreign.push(`https://${req.url}`);
  socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
origin = `http://127.0.0.1:${server.address().port}`;

const profile = fs.mkdtempSync(path.join(os.tmpdir(), "provarc-chromium-"));
let browser = null;
const result = { origin, found: false, frame: "", image: null, image_responses: [],
                 searched: false, search_text: "",
                 page_requests: [], content_requests: [], network, foreign, errors: [],
                 elapsed_ms: 0 };
const errors = result.errors;

async function cleanUp() {
  if (browser) {
    const child = browser.process();
    await Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 10000))]);
    if (child && child.exitCode === null) child.kill("SIGKILL");
  }
  server.closeAllConnections();
  server.close();
  fs.rmSync(profile, { recursive: true, force: true });
}

const watchdog = setTimeout(async () => {
  errors.push(`gave up after ${timeoutMs * 1.5 + 30000} ms`);
  await cleanUp();
  console.log(JSON.stringify(result));
  process.exit(2);
}, timeoutMs * 1.5 + 30000);

// The frame showing the archived page, and what it shows: the headline, the image decoded.
async function look(page) {
  const imagePath = new URL(imageUrl).pathname;
  for (const frame of page.frames()) {
    if (!frame.url().includes("mp_/" + pageUrl)) continue;
    const seen = await frame.evaluate((headline, imagePath) => {
      const text = document.body ? document.body.innerText : "";
      const images = [...document.images].map((img) => ({
        src: img.currentSrc || img.getAttribute("src") || "",
        complete: img.complete, width: img.naturalWidth, height: img.naturalHeight,
      })).filter((img) => img.src.includes(imagePath));
      return { headline: text.includes(headline), images };
    }, headline, imagePath).catch((e) => ({ error: String(e) }));
    result.frame = frame.url();
    const decoded = (seen.images || []).find((img) => img.complete && img.width > 0);
    if (seen.headline && decoded) {
      result.image = decoded;
      return true;
    }
  }
  return false;
}

// The text of every frame, shadow roots included (ReplayWeb.page's UI lives in them).
async function allText(page) {
  let text = "";
  for (const frame of page.frames()) {
    text += await frame.evaluate(() => {
      let out = "";
      const walk = (node) => {
        if (node.shadowRoot) walk(node.shadowRoot);
        for (const child of node.childNodes) {
          if (child.nodeType === Node.TEXT_NODE) out += child.textContent + " ";
          else if (child.nodeType === Node.ELEMENT_NODE) walk(child);
        }
      };
      if (document.body) walk(document.body);
      return out;
    }).catch(() => "");
  }
  return text.replace(/\s+/g, " ");
}

// The page list searched for `word` shows `foundTitle` and not `otherTitle`.
async function search(page, deadline) {
  await page.goto(origin + "/search", { waitUntil: "domcontentloaded", timeout: timeoutMs });
  while (Date.now() < deadline) {
    result.search_text = await allText(page);
    if (result.search_text.includes(foundTitle) && !result.search_text.includes(otherTitle)) {
      return true;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

try {
  browser = await puppeteer.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    userDataDir: profile,
    protocolTimeout: timeoutMs,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-features=NetworkTimeServiceQuerying",
           `--proxy-server=${origin}`, "--proxy-bypass-list=<-loopback>"],
  });
  // Every request of every page, frame and worker, the service worker's included, paused by the
  // browser-wide Fetch domain, recorded, and let through (only to this server: others fail).
  const cdp = await browser.target().createCDPSession();
  cdp.on("Fetch.requestPaused", (e) => {
    result.content_requests.push(`${e.request.method} ${e.request.url}`);
    const local = new URL(e.request.url).origin === origin;
    cdp.send(local ? "Fetch.continueRequest" : "Fetch.failRequest",
             local ? { requestId: e.requestId } : { requestId: e.requestId, errorReason: "BlockedByClient" })
      .catch(() => {});
  });
  await cdp.send("Fetch.enable", { patterns: [{ urlPattern: "*" }] });
  const page = await browser.newPage();
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  page.on("request", (r) => result.page_requests.push(`${r.method()} ${r.url()}`));
  page.on("response", (r) => {
    if (r.url().includes(imageUrl)) {
      result.image_responses.push({ url: r.url(), status: r.status(),
                                    type: r.headers()["content-type"] || "",
                                    from_service_worker: r.fromServiceWorker() });
    }
  });
  await page.goto(origin + "/", { waitUntil: "domcontentloaded", timeout: timeoutMs });
  const deadline = started + timeoutMs;
  while (!result.found && Date.now() < deadline) {
    result.found = await look(page);
    if (!result.found) await new Promise((r) => setTimeout(r, 500));
  }
  result.frames = page.frames().map((f) => f.url());
  if (word) result.searched = await search(page, Date.now() + timeoutMs / 2);
} catch (e) {
  errors.push(String(e && e.stack || e));
}
result.elapsed_ms = Date.now() - started;
clearTimeout(watchdog);
await cleanUp();
console.log(JSON.stringify(result));
process.exit(0);
