#!/usr/bin/env python3
"""The memory benchmark: `provarc crawl` of one generated site whose frontier grows to N URLs;
peak RSS of the provarc process against the frontier's size.

  bench.py --provarc BUILD/cli/provarc --server OUT/memory_web --out OUT
           [--runs hubs:10000,hubs:100000,...]

A run is SHAPE:ARTICLES[:OPTION...]. The site (tests/support/big_site.h) shows ARTICLES articles
through hub pages of 5 000 links ("hubs") or a sitemap index of sitemaps of 50 000 URLs
("sitemap"); the delay is 0 (the site is ours), and the crawl fetches the whole site. Options:
  per=K     K links per hub page or sitemap
  time=T    provarc's --max-time T (e.g. 90s): stops once the frontier is full and some pages are
            fetched
  refuse    robots.txt disallows the articles: they fill the frontier but are refused, not fetched
            (no page is parsed, no dictionary trained): what is left is the frontier's cost
For each run a fresh fixture web and archive. Reported per run:
  frontier     rows of the archive's frontier table at the end (SELECT count(*) FROM frontier)
  pages        page requests provarc made (its --report: sites[0].pages)
  peak RSS     the process's maximum resident set size (wait4 ru_maxrss, as /usr/bin/time -v)
  RSS full     VmHWM sampled when the frontier first held every article (the peak while it grew)
  wall, CPU    wall time, user + system CPU seconds
A timeline (seconds, VmRSS KiB, frontier rows, done rows) of each run is written to
OUT/<run>/timeline.tsv.
"""
import argparse
import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
DEFAULT_RUNS = ("hubs:10000,hubs:100000,sitemap:10000,sitemap:100000,"
                "sitemap:10000:refuse:per=5000,sitemap:100000:refuse:per=5000,"
                "sitemap:990000:refuse:per=5000,"
                "hubs:990000:time=90s,sitemap:990000:time=90s,hubs:100000:time=30s:per=50000")
PER_DOCUMENT = {"hubs": 5000, "sitemap": 50000}


def start_server(server, out, run):
    argv = [server, "--shape", run["shape"], "--articles", str(run["articles"]),
            "--per-document", str(run["per_document"]), "--delay-ms", "0", "--out", out]
    if run["refuse"]:
        argv += ["--disallow", "/tin-tuc/"]
    proc = subprocess.Popen(argv)
    site = os.path.join(out, "config", "sites", "memory.toml")
    deadline = time.time() + 30
    while time.time() < deadline:
        if os.path.exists(site):
            shutil.copytree(os.path.join(SOURCE, "config", "platforms"),
                            os.path.join(out, "config", "platforms"))
            return proc
        time.sleep(0.05)
    proc.kill()
    sys.exit("memory_web did not start")


def stop_server(proc):
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)


def status_kib(pid, field):
    """A VmXXX field of /proc/PID/status in KiB, or 0 once the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def frontier_rows(db):
    """(all rows, done rows) of the frontier; (0, 0) while the archive cannot be read."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)) as conn:
            return conn.execute(
                "SELECT count(*), coalesce(sum(state = 'done'), 0) FROM frontier").fetchone()
    except sqlite3.Error:
        return 0, 0


def parse_run(spec):
    """The run SHAPE:ARTICLES[:OPTION...] as a dict; exits naming a bad spec."""
    shape, articles, *options = spec.split(":")
    if shape not in PER_DOCUMENT or not articles.isdigit():
        sys.exit(f"bad run {spec!r}: expected SHAPE:ARTICLES[:OPTION...], SHAPE hubs or sitemap")
    run = {"shape": shape, "articles": int(articles), "per_document": PER_DOCUMENT[shape],
           "max_time": None, "refuse": False}
    for option in options:
        if option.startswith("per=") and option[4:].isdigit():
            run["per_document"] = int(option[4:])
        elif option.startswith("time="):
            run["max_time"] = option[5:]
        elif option == "refuse":
            run["refuse"] = True
        else:
            sys.exit(f"bad option {option!r} in run {spec!r}: expected per=K, time=T or refuse")
    run["name"] = spec.replace(":", "-").replace("=", "")
    return run


def run_crawl(args, out, articles, max_time):
    db = os.path.join(out, "archive.sqlite")
    report = os.path.join(out, "report.json")
    argv = [args.provarc, "--config", os.path.join(out, "config"), "--db", db, "crawl",
            "--report", report]
    if max_time:
        argv += ["--max-time", max_time]
    timeline = []
    full_hwm = None
    with open(os.path.join(out, "crawler.log"), "w") as log:
        start = time.monotonic()
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid == proc.pid:
                break
            rows, done = frontier_rows(db)
            now = time.monotonic() - start
            timeline.append((round(now, 2), status_kib(proc.pid, "VmRSS"), rows, done))
            if full_hwm is None and rows >= articles:
                full_hwm = status_kib(proc.pid, "VmHWM")
            time.sleep(0.5)
        wall = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    with open(os.path.join(out, "timeline.tsv"), "w") as f:
        f.write("seconds\tvmrss_kib\tfrontier\tdone\n")
        for row in timeline:
            f.write("\t".join(str(v) for v in row) + "\n")
    rows, done = frontier_rows(db)
    pages = fetched = None
    if os.path.exists(report):
        with open(report) as f:
            site = json.load(f)["sites"][0]
            pages, fetched = site["pages"], site["fetched"]
    return {"exit_code": proc.returncode, "frontier": rows, "frontier_done": done,
            "pages": pages, "requests": fetched,
            "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
            "rss_full_mib": round(full_hwm / 1024, 1) if full_hwm else None,
            "wall_s": round(wall, 1), "cpu_s": round(usage.ru_utime + usage.ru_stime, 1)}


def machine():
    model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kib = int(f.readline().split()[1])
    return {"cpu": model, "cores": os.cpu_count(), "memory_gib": round(mem_kib / 2**20, 1),
            "load_average": os.getloadavg()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provarc", required=True)
    parser.add_argument("--server", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--runs", default=DEFAULT_RUNS)
    args = parser.parse_args()

    info = machine()
    print("machine:", json.dumps(info), flush=True)
    results = []
    for spec in args.runs.split(","):
        run = parse_run(spec)
        out = os.path.join(args.out, run["name"])
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        server = start_server(args.server, out, run)
        try:
            result = run_crawl(args, out, run["articles"], run["max_time"])
        finally:
            stop_server(server)
        result.update(run)
        results.append(result)
        print(run["name"], json.dumps(result), flush=True)

    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump({"machine": info, "results": results}, f, indent=2)
    print()
    print("| run | frontier rows | pages fetched | RSS when frontier full (MiB) | peak RSS (MiB) | "
          "wall (s) | CPU (s) | exit |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['name']} | {r['frontier']} | {r['pages']} | {r['rss_full_mib']} | "
              f"{r['peak_rss_mib']} | {r['wall_s']} | {r['cpu_s']} | {r['exit_code']} |")


if __name__ == "__main__":
    main()
