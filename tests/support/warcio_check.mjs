// Validates WARC files with warcio.js, a WARC reader independent of provarc's, for
// tests/warc_warcio_test.cc. Usage:
//   node warcio_check.mjs WARCIO_INDEX_JS FILE.warc.gz...
// Reads every record of every file twice (the block raw, then the HTTP payload) and prints one
// JSON object: {"records": N, "types": {type: count}, "errors": [...], "index": [cdx entries]}.
// Checks: each file starts with a WARC/1.1 warcinfo record; every WARC-Block-Digest and
// WARC-Payload-Digest (sha1, base32) matches; a response with a payload has a Content-Length,
// and it is its payload's length (so the message ends where it says, whatever reads it); the
// headers an X-Archive-Synthesized header names are present; an identical-payload-digest revisit refers to a response read before it
// (WARC-Refers-To-Target-URI and -Date) with the same payload digest. The index is what warcio's
// own CDXJ indexer finds, for comparing with provarc's.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [warcioPath, ...files] = process.argv.slice(2);
const { WARCParser, CDXIndexer } = await import(pathToFileURL(warcioPath).href);

function sha1Base32(bytes) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const digest = createHash("sha1").update(bytes).digest();
  let out = "", buffer = 0, bits = 0;
  for (const byte of digest) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= 0xff;
  }
  if (bits > 0) out += alphabet[(buffer << (5 - bits)) & 31];
  return "sha1:" + out;
}

const result = { records: 0, types: {}, errors: [], index: [] };
const responses = new Map();  // "uri date" -> payload digest
const revisits = [];

for (const file of files) {
  const name = path.basename(file);
  // Pass 1: the blocks, raw.
  let first = true;
  for await (const record of new WARCParser(fs.createReadStream(file), { parseHttp: false })) {
    const where = `${name}@${record.warcHeader("WARC-Record-ID")}`;
    const block = await record.readFully(false);
    result.records++;
    result.types[record.warcType] = (result.types[record.warcType] || 0) + 1;
    if (first && (record.warcType !== "warcinfo" || record.warcHeaders.protocol !== "WARC/1.1")) {
      result.errors.push(`${name}: does not start with a WARC/1.1 warcinfo record`);
    }
    first = false;
    if (sha1Base32(block) !== record.warcBlockDigest) {
      result.errors.push(`${where}: WARC-Block-Digest ${record.warcBlockDigest} is not the block's`);
    }
  }
  // Pass 2: the HTTP payloads.
  for await (const record of new WARCParser(fs.createReadStream(file))) {
    const where = `${name}@${record.warcHeader("WARC-Record-ID")}`;
    if (record.warcType === "response") {
      const payload = await record.readFully(false);
      if (sha1Base32(payload) !== record.warcPayloadDigest) {
        result.errors.push(`${where}: WARC-Payload-Digest ${record.warcPayloadDigest} is not the payload's`);
      }
      const headers = record.httpHeaders.headers;
      const length = headers.get("Content-Length");
      const status = Number(record.httpHeaders.statusCode);
      if (length === null && status >= 200 && status !== 204 && status !== 304) {
        result.errors.push(`${where}: a ${status} response without Content-Length`);
      }
      if (length !== null && Number(length) !== payload.length) {
        result.errors.push(`${where}: Content-Length ${length} but the payload has ${payload.length} bytes`);
      }
      for (const name of (headers.get("X-Archive-Synthesized") || "").split(",")) {
        if (name.trim() !== "" && headers.get(name.trim()) === null) {
          result.errors.push(`${where}: X-Archive-Synthesized names ${name.trim()}, which is absent`);
        }
      }
      responses.set(`${record.warcTargetURI} ${record.warcDate}`, record.warcPayloadDigest);
    } else if (record.warcType === "revisit") {
      await record.readFully(false);
      if (!record.httpHeaders || !record.httpHeaders.statusCode) {
        result.errors.push(`${where}: revisit without an HTTP status line`);
      }
      if (record.warcHeader("WARC-Profile").endsWith("/identical-payload-digest")) {
        revisits.push({ where, key: `${record.warcRefersToTargetURI} ${record.warcRefersToDate}`,
                        digest: record.warcPayloadDigest });
      }
    } else {
      await record.skipFully();
    }
  }
  // warcio's own CDXJ index of the file.
  const indexer = new CDXIndexer({ format: "cdxj" });
  for await (const entry of indexer.iterIndex([{ filename: name, reader: fs.createReadStream(file) }])) {
    result.index.push(entry);
  }
}

for (const revisit of revisits) {
  if (responses.get(revisit.key) !== revisit.digest) {
    result.errors.push(`${revisit.where}: refers to ${revisit.key}, no response with payload ${revisit.digest}`);
  }
}
process.stdout.write(JSON.stringify(result) + "\n");
