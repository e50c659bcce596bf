#!/usr/bin/env python3
"""The whole archive file against WARC.gz, on a crawl of the local fixture web.

  crawl.py --provarc BUILD/cli/provarc --server OUT/fixture_web --out OUT [--sites 20]
           [--pages 50] [--delay 0.01]

Starts the fixture web (bench/crawl: N sites of P pages on 127.0.0.1), crawls it with
`provarc crawl` into a fresh archive, runs `provarc compact --vacuum`, exports every capture with
`provarc export --format warc`, and prints the file's bytes by part (`provarc stats`) beside the
WARC.gz export and `zstd -19 --long=27` over the uncompressed WARC (solid compression: a floor
with no random access). Also times `provarc show` of 200 articles and `provarc export --format
jsonl` of one site (the listing path), the best of 3.
"""
import argparse
import gzip
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "crawl"))
import bench as crawl_bench  # noqa: E402  (bench/crawl/bench.py: the fixture web and its config)


def provarc(args, *argv, capture=True):
    cmd = [args.provarc, "--db", os.path.join(args.out, "archive.sqlite")] + list(argv)
    return subprocess.run(cmd, check=True, capture_output=capture, text=True).stdout


def best_of(n, fn):
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def timings(args):
    """Seconds: show of up to 200 articles (one process each), and export jsonl of one site."""
    db = os.path.join(args.out, "archive.sqlite")
    import sqlite3
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    urls = [r[0] for r in con.execute(
        "SELECT url FROM articles WHERE latest_version_id IS NOT NULL ORDER BY id LIMIT 200")]
    site = con.execute("SELECT site FROM articles GROUP BY site ORDER BY count(*) DESC"
                       " LIMIT 1").fetchone()[0]
    con.close()
    show = best_of(3, lambda: [provarc(args, "show", u) for u in urls])
    listing = best_of(3, lambda: provarc(args, "export", "--format", "jsonl", "--site", site))
    return {"show_articles": len(urls), "show_s": round(show, 3), "export_site": site,
            "export_s": round(listing, 3)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provarc", required=True)
    parser.add_argument("--server", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--delay", type=float, default=0.01)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    server, ports = crawl_bench.start_server(args.server, args.out, args.sites, args.pages)
    argv = crawl_bench.provarc_command(args, ports, args.out)
    start = time.monotonic()
    code = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    crawl_s = time.monotonic() - start
    crawl_bench.stop_server(server, args.out)
    if code != 0:
        sys.exit(f"provarc crawl exited {code}")
    start = time.monotonic()
    provarc(args, "compact", "--vacuum")
    compact_s = time.monotonic() - start

    warc_dir = os.path.join(args.out, "warc")
    subprocess.run(["rm", "-rf", warc_dir], check=True)
    provarc(args, "export", "--format", "warc", "--out", warc_dir)
    warcs = sorted(os.path.join(warc_dir, f) for f in os.listdir(warc_dir)
                   if f.endswith(".warc.gz"))
    warc_gz = sum(os.path.getsize(p) for p in warcs)
    plain = b"".join(gzip.open(p).read() for p in warcs)
    solid = len(subprocess.run(["zstd", "-q", "-19", "--long=27", "-T1", "-c"], input=plain,
                               capture_output=True, check=True).stdout)

    stats = json.loads(provarc(args, "stats", "--format", "json"))[-1]
    file = stats["file"]
    pages = max(1, file["pages"])
    rows = [(f"part: {name}", b) for name, b in file["parts"].items()]
    rows += [("archive file (all of it)", file["bytes"]), ("WARC.gz export", warc_gz),
             ("WARC, uncompressed", len(plain)), ("zstd -19 --long over the WARC", solid)]
    print(f"crawl {crawl_s:.1f} s, compact --vacuum {compact_s:.1f} s; "
          f"{stats['captures']} captures, {file['pages']} pages, {stats['articles']} articles")
    print(f"| {'':34} | {'bytes':>11} | {'bytes/page':>10} | {'vs WARC.gz':>10} |")
    print(f"|{'-' * 36}|{'-' * 13}|{'-' * 12}|{'-' * 12}|")
    for name, b in rows:
        print(f"| {name:34} | {b:11d} | {b / pages:10.0f} | {b / warc_gz:9.2f}x |")
    t = timings(args)
    print(f"show of {t['show_articles']} articles: {t['show_s']} s; "
          f"export --format jsonl --site {t['export_site']}: {t['export_s']} s")
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump({"sites": args.sites, "pages": args.pages, "file": file, "warc_gz": warc_gz,
                   "warc": len(plain), "solid_zstd": solid, "timings": t}, f, indent=2)


if __name__ == "__main__":
    main()
