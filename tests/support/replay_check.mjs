// Replays a WACZ package in ReplayWeb.page, in Debian's headless chromium driven by
// puppeteer-core, for tests/cli_wacz_replay_test.cc. Usage:
//   node replay_check.mjs TOOLS_DIR PACKAGE.wacz PAGE_URL HEADLINE IMAGE_URL [TIMEOUT_MS]
// One server on 127.0.0.1 serves ReplayWeb.page's static files (ui.js at / and /replay/, its
// service worker sw.js at /replay/, the replay scope), an embedding page
// (<replay-web-page source="/archive.wacz" url=PAGE_URL>) and the package with Range requests.
// The same server is chromium's proxy for every request, loopback included
// (--proxy-bypass-list=<-loopback>): it records each one, the service worker's fetches of the
// package too, and answers 502 to any for another host, so nothing leaves 127.0.0.1 and
// whatever tried is on the record. The script waits until a frame of the archived PAGE_URL shows
// HEADLINE and an <img> of IMAGE_URL has decoded, then prints one JSON object:
//   {"found": bool, "frame": url, "image": {...}, "image_responses": [...],
//    "requests": [urls], "foreign": [urls not on this server], "errors": [...], "elapsed_ms": n}
// and exits 0 (the test judges the result); 2 when something went wrong before that.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";

const [toolsDir, packagePath, pageUrl, headline, imageUrl, timeoutArg] = process.argv.slice(2);
const timeoutMs = Number(timeoutArg || 120000);
const require = createRequire(path.join(toolsDir, "package.json"));
const puppeteer = require("puppeteer-core");
const rwpDir = path.join(toolsDir, "node_modules", "replaywebpage");

const started = Date.now();
const requests = [];
const foreign = [];
const errors = [];
let origin = "";

const types = {
  ".js": "application/javascript", ".html": "text/html; charset=utf-8", ".json": "application/json",
  ".gz": "application/gzip", ".wacz": "application/wacz", ".svg": "image/svg+xml",
};

const embedPage = () => `<!doctype html>
<html><head><meta charset="utf-8"><title>provarc replay test</title>
<script src="/ui.js"></script></head>
<body style="margin:0">
<replay-web-page style="display:block;height:100vh" source="/archive.wacz" replaybase="/replay/"
  url="${pageUrl.replace(/"/g, "&quot;")}" embed="replayonly"></replay-web-page>
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
  requests.push(`${req.method} ${url.href}`);
  if (url.origin !== origin) {
    foreign.push(url.href);
    res.writeHead(502, { "Content-Type": "text/plain" });
    return res.end("provarc replay test: only 127.0.0.1 is served");
  }
  if (url.pathname === "/" || url.pathname === "/index.html") {
    res.writeHead(200, { "Content-Type": types[".html"] });
    return res.end(embedPage());
  }
  if (url.pathname === "/archive.wacz") return servePackage(req, res);
  return serveStatic(url.pathname, res);
});
server.on("connect", (req, socket) => {  // https through the proxy: refused, recorded
  requests.push(`CONNECT ${req.url}`);
  foreign.push(`https://${req.url}`);
  socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
origin = `http://127.0.0.1:${server.address().port}`;

const profile = fs.mkdtempSync(path.join(os.tmpdir(), "provarc-chromium-"));
let browser = null;
const result = { found: false, frame: "", image: null, image_responses: [], requests, foreign,
                 errors, elapsed_ms: 0 };

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
  errors.push(`gave up after ${timeoutMs + 30000} ms`);
  await cleanUp();
  console.log(JSON.stringify(result));
  process.exit(2);
}, timeoutMs + 30000);

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

try {
  browser = await puppeteer.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    userDataDir: profile,
    protocolTimeout: timeoutMs,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           `--proxy-server=${origin}`, "--proxy-bypass-list=<-loopback>"],
  });
  const page = await browser.newPage();
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
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
} catch (e) {
  errors.push(String(e && e.stack || e));
}
result.elapsed_ms = Date.now() - started;
clearTimeout(watchdog);
await cleanUp();
console.log(JSON.stringify(result));
process.exit(0);
