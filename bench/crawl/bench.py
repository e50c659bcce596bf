#!/usr/bin/env python3
"""The crawl benchmark: one fixture web of N local sites, crawled by provarc, GNU wget and Scrapy
with the same delay; politeness and efficiency measured from the server's own request log.

  bench.py --provarc BUILD/cli/provarc --server OUT/fixture_web --out OUT [--sites 20]
           [--pages 50] [--delay 0.2] [--crawlers provarc,wget,scrapy]

For each crawler a fresh fixture web is started. Reported per crawler:
  requests    requests the server saw (robots.txt included)
  bound       the politeness bound: max over hosts of (requests to the host x delay), the least
              time any crawler honouring the delay needs
  wall        the crawler's wall time, start to exit
  efficiency  bound / wall (1.0 = as fast as politeness allows)
  violations  pairs of consecutive requests to one host closer than delay - 1 ms (server clock)
  min gap     the smallest such gap seen
  peak RSS    the largest total resident memory of the crawler's processes, sampled every 20 ms
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))


def start_server(server, out, sites, pages):
    os.makedirs(out, exist_ok=True)
    hosts_path = os.path.join(out, "hosts.tsv")
    if os.path.exists(hosts_path):
        os.remove(hosts_path)
    proc = subprocess.Popen([server, "--sites", str(sites), "--pages", str(pages), "--out", out])
    deadline = time.time() + 30
    while time.time() < deadline:
        if os.path.exists(hosts_path):
            lines = open(hosts_path).read().splitlines()
            if len(lines) == sites:
                return proc, [int(line.split("\t")[1]) for line in lines]
        time.sleep(0.05)
    proc.kill()
    sys.exit("fixture web did not start")


def stop_server(proc, out):
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    requests = []
    with open(os.path.join(out, "requests.tsv"), encoding="utf-8", errors="replace") as f:
        for line in f:
            port, us, status, target, agent = (line.rstrip("\n").split("\t") + [""] * 5)[:5]
            requests.append({"port": int(port), "us": int(us), "status": int(status),
                             "target": target, "agent": agent})
    return requests


def tree_rss_kib(root_pid):
    """Total VmRSS of root_pid and its descendants, in KiB."""
    children = defaultdict(list)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children[int(fields[1])].append(int(entry))
        except (OSError, IndexError):
            continue
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def run_measured(argv, log_path, env=None):
    with open(log_path, "w") as log:
        start = time.monotonic()
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, tree_rss_kib(proc.pid))
            time.sleep(0.02)
        wall = time.monotonic() - start
    return proc.returncode, wall, peak


def provarc_command(args, ports, out):
    config = os.path.join(out, "config")
    shutil.rmtree(config, ignore_errors=True)
    os.makedirs(os.path.join(config, "sites"))
    shutil.copytree(os.path.join(SOURCE, "config", "platforms"), os.path.join(config, "platforms"))
    delay_ms = int(round(args.delay * 1000))
    for i, port in enumerate(ports, 1):
        authority = f"127.0.0.1:{port}"
        with open(os.path.join(config, "sites", f"bench-{i}.toml"), "w") as f:
            f.write(f'id = "bench-{i}"\nname = "Bench site {i}"\nprovince = "Bench"\n'
                    f'platform = "generic"\nhosts = ["{authority}"]\n'
                    f'start_urls = ["http://{authority}/"]\n'
                    f'contact_url = "https://example.org/provarc-bench"\n\n[crawl]\n'
                    f'delay = "{delay_ms}ms"\n'
                    f'listing_urls = ["http://{authority}/tin-tuc/"]\n'
                    "article_url_patterns = ['/tin-tuc/[^/?]+\\.html$']\n"
                    "listing_url_patterns = ['/tin-tuc/\\?page=[0-9]+$']\n")
    db = os.path.join(out, "archive.sqlite")
    for suffix in ("", "-wal", "-shm", ".crawl-lock"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    return [args.provarc, "--config", config, "--db", db, "crawl"]


def wget_command(args, ports, out):
    files = os.path.join(out, "files")
    shutil.rmtree(files, ignore_errors=True)
    # wget crawls one site at a time: one process per site, all at once.
    jobs = " ".join(
        f"wget -q -r -l inf --wait={args.delay} -e robots=on -U wget-bench -P {files} "
        f"http://127.0.0.1:{port}/ &" for port in ports)
    return ["bash", "-c", f"{jobs} wait"]


def scrapy_command(args, ports, out):
    urls = ",".join(f"http://127.0.0.1:{port}/" for port in ports)
    return ["/usr/bin/python3", "-m", "scrapy", "runspider", os.path.join(HERE, "scrapy_spider.py"),
            "-a", f"start_urls={urls}", "-a", f"delay={args.delay}"]


COMMANDS = {"provarc": provarc_command, "wget": wget_command, "scrapy": scrapy_command}


def analyse(requests, delay, wall):
    by_port = defaultdict(list)
    for r in requests:
        by_port[r["port"]].append(r)
    violations, min_gap, duplicates, pages = 0, None, 0, 0
    for port, rs in by_port.items():
        rs.sort(key=lambda r: r["us"])
        for a, b in zip(rs, rs[1:]):
            gap = (b["us"] - a["us"]) / 1e6
            min_gap = gap if min_gap is None else min(min_gap, gap)
            if gap < delay - 0.001:
                violations += 1
        targets = [r["target"] for r in rs if r["target"] != "/robots.txt"]
        duplicates += len(targets) - len(set(targets))
        pages += sum(1 for r in rs if r["target"] != "/robots.txt" and r["status"] == 200)
    bound = max((len(rs) * delay for rs in by_port.values()), default=0.0)
    return {"requests": len(requests), "pages": pages, "duplicates": duplicates,
            "hosts": len(by_port), "bound_s": round(bound, 3), "wall_s": round(wall, 3),
            "efficiency": round(bound / wall, 3) if wall > 0 else 0.0,
            "violations": violations, "min_gap_s": round(min_gap or 0.0, 4)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provarc", required=True)
    parser.add_argument("--server", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--crawlers", default="provarc,wget,scrapy")
    args = parser.parse_args()

    results = {}
    for name in args.crawlers.split(","):
        out = os.path.join(args.out, name)
        shutil.rmtree(out, ignore_errors=True)
        server, ports = start_server(args.server, out, args.sites, args.pages)
        argv = COMMANDS[name](args, ports, out)
        code, wall, peak = run_measured(argv, os.path.join(out, "crawler.log"))
        requests = stop_server(server, out)
        result = analyse(requests, args.delay, wall)
        result["exit_code"] = code
        result["peak_rss_mib"] = round(peak / 1024, 1)
        results[name] = result
        print(name, json.dumps(result), flush=True)

    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump({"sites": args.sites, "pages": args.pages, "delay_s": args.delay,
                   "results": results}, f, indent=2)
    print()
    print("| crawler | requests | pages | duplicates | bound (s) | wall (s) | efficiency | "
          "violations | min gap (s) | peak RSS (MiB) | exit |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['requests']} | {r['pages']} | {r['duplicates']} | {r['bound_s']} | "
              f"{r['wall_s']} | {r['efficiency']} | {r['violations']} | {r['min_gap_s']} | "
              f"{r['peak_rss_mib']} | {r['exit_code']} |")


if __name__ == "__main__":
    main()
