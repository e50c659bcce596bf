#!/usr/bin/env python3
"""make_corpus.py DIR MIN_MB: the parse benchmark's corpus.

Replicates every fixture page (tests/fixtures/*/, all families, generic included) into
DIR/<site>/<n>.html, varying the text a little so no two pages are byte-identical, until the
corpus holds at least MIN_MB megabytes (0 gives one copy of each page). Run from the source root.
"""
import glob
import json
import os
import sys

corpus, min_mb = sys.argv[1], float(sys.argv[2])
pages = []
for manifest in sorted(glob.glob("tests/fixtures/*/manifest.json")):
    folder = os.path.dirname(manifest)
    for entry in json.load(open(manifest)):
        golden = os.path.join(folder, os.path.splitext(entry["file"])[0] + ".expected.json")
        site = json.load(open(golden)).get("site") or "generic"
        pages.append((site, open(os.path.join(folder, entry["file"]), "rb").read()))
total, n = 0, 0
while n == 0 or total < min_mb * 1_000_000:
    for site, data in pages:
        # Vary the text a little so no two pages are byte-identical.
        varied = data.replace(b"</p>", b" (%d)</p>" % n, 1)
        os.makedirs(os.path.join(corpus, site), exist_ok=True)
        open(os.path.join(corpus, site, "%06d.html" % n), "wb").write(varied)
        total += len(varied)
        n += 1
print(f"corpus: {n} pages, {total/1e6:.1f} MB in {corpus}")
