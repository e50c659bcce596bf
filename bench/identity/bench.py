#!/usr/bin/env python3
"""The identity benchmark: provarc's first contact with six portal sites that carry session ids,
aliases, print twins and traps no site config mentions (tests/support/trap_web.h), configured as
a new user would (tests/fixtures/trapweb/sites/). Two crawls: epoch 1, then epoch 2 (edits, 5 new
and 2 removed articles per site). Judged from the server's request log, the crawl report, `provarc
runs` and `provarc export` (public interfaces only).

  bench.py --provarc BUILD/cli/provarc --server BUILD/tests/provarc_trap_web --out OUT
           [--delay 0.2] [--max-time 8m] [--articles N] [--per-page N] [--bomb-mib N]
           [--crawl-delay S] [--plain] [--web2] [--json]

--web2 crawls the second held-out web (trap_web2_sites(), tests/fixtures/trapweb2/sites/).

Per site and pass:
  ended         the crawl ended on its own (run status "ok" and the site finished), or was cut
                off by --max-time; the run's exit code and duration
  archived      true articles in the archive (any URL of theirs) of N, and how many exactly once
                under their canonical URL
  extra         article URLs in the archive (`provarc export`) that are not a true article's
                canonical URL, by what they are (a session variant, a print twin, an alias)
  no version    articles registered (`provarc stats`) but not exported: pages taken for articles
                whose every parse failed
  requests      requests the site answered in the pass, and those spent in traps (session variants,
                twins, aliases, calendar, bomb, pages past the last, nothing), by kind
  refetched     resources (an article, a listing page, ...) fetched more than once in the pass,
                whatever URL (redirects not counted)
  alarm         the site is in the run's template_changed list
"""
import argparse
import collections
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
TRAP_KINDS = ("session", "twin", "alias", "calendar", "bomb", "beyond", "sort", "unknown")


def start_server(args, out):
    hosts_path = os.path.join(out, "hosts.tsv")
    argv = [args.server, "--out", out]
    for flag in ("articles", "per_page", "bomb_mib", "crawl_delay"):
        value = getattr(args, flag)
        if value is not None:
            argv += ["--" + flag.replace("_", "-"), str(value)]
    if args.plain:
        argv.append("--plain")
    if args.web2:
        argv.append("--web2")
    proc = subprocess.Popen(argv)
    deadline = time.time() + 60
    while time.time() < deadline:
        if os.path.exists(hosts_path):
            rows = [line.split("\t") for line in open(hosts_path).read().splitlines()]
            sites = {r[0]: (r[1], int(r[2])) for r in rows if r[0] != "control"}
            control = next(int(r[2]) for r in rows if r[0] == "control")
            return proc, sites, control
        if proc.poll() is not None:
            sys.exit("provarc_trap_web exited with %d" % proc.returncode)
        time.sleep(0.05)
    proc.kill()
    sys.exit("provarc_trap_web did not start within 60 s")


def control_get(port, path):
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=30) as r:
        return r.read().decode("utf-8")


def write_config(out, sites, delay, fixtures):
    """The site files of tests/fixtures/trapweb/sites/, pointed at the local web as scripts/demo
    points the shipped ones at its mirror: hosts and start URLs rewritten, the delay lowered."""
    config = os.path.join(out, "config")
    shutil.rmtree(config, ignore_errors=True)
    os.makedirs(os.path.join(config, "sites"))
    shutil.copytree(os.path.join(SOURCE, "config", "platforms"), os.path.join(config, "platforms"))
    for site_id, (real_host, port) in sites.items():
        with open(os.path.join(SOURCE, "tests", "fixtures", fixtures, "sites", site_id + ".toml"),
                  encoding="utf-8") as f:
            toml = f.read()
        host = re.escape(real_host)
        toml = re.sub(r"https?://" + host, "http://127.0.0.1:%d" % port, toml)
        toml = toml.replace('"%s"' % real_host, '"127.0.0.1:%d"' % port)
        toml = re.sub(r'(?m)^delay = .*$', 'delay = "%dms"' % round(delay * 1000), toml)
        with open(os.path.join(config, "sites", site_id + ".toml"), "w", encoding="utf-8") as f:
            f.write(toml)
    return config


def provarc(args, config, db, *argv, **kw):
    return subprocess.run([args.provarc, "--config", config, "--db", db, *argv],
                          capture_output=True, text=True, **kw)


def crawl(args, config, db, out, epoch):
    report = os.path.join(out, "report-%d.json" % epoch)
    start = time.monotonic()
    with open(os.path.join(out, "crawl-%d.log" % epoch), "w") as log:
        code = subprocess.run([args.provarc, "--config", config, "--db", db, "crawl", "--all",
                               "--max-time", args.max_time, "--report", report],
                              stdout=log, stderr=subprocess.STDOUT).returncode
    wall = time.monotonic() - start
    with open(report) as f:
        return code, wall, json.load(f)


def read_log(out):
    rows = []
    with open(os.path.join(out, "requests.tsv"), encoding="utf-8", errors="replace") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            row["epoch"] = int(row["epoch"])
            row["status"] = int(row["status"])
            row["bytes"] = int(row["bytes"])
            row["session"] = row["session"] == "1"
            rows.append(row)
    return rows


def trap_kind(row):
    """The trap a request was spent in, or None: the bomb, a calendar, a page past the last or a
    print twin, else a session variant (of anything), else another alias or nothing at all."""
    if row["kind"] in ("bomb", "calendar", "beyond", "sort", "twin"):
        return row["kind"]
    if row["session"]:
        return "session"
    return row["kind"] if row["kind"] in ("alias", "unknown") else None


def requests_figures(rows):
    traps = collections.Counter()
    fetches = collections.Counter()
    for r in rows:
        kind = trap_kind(r)
        if kind:
            traps[kind] += 1
        if not 300 <= r["status"] < 400:
            fetches[r["resource"]] += 1
    refetched = {res: n for res, n in fetches.items() if n > 1}
    return {"requests": len(rows), "trap_requests": sum(traps.values()),
            "traps": dict(sorted(traps.items())), "bytes": sum(r["bytes"] for r in rows),
            "refetched_resources": len(refetched),
            "refetches": sum(n - 1 for n in refetched.values()),
            "refetched_examples": sorted(refetched, key=lambda k: -refetched[k])[:5]}


def same_url(url):
    """A URL as servers read it: percent-decoded (the second web's WebSphere prints its canonical
    `urile=wcm%3Apath%3A%2F...`; a crawler may keep or decode the escapes of `:` and `/`)."""
    return urllib.parse.unquote(url)


def archive_figures(exported, truth, classify):
    """What the archive holds for one site against the epoch's ground truth."""
    canonical = {same_url(a["url"]): a for a in truth["articles"]}
    by_number = {a["number"]: a for a in truth["articles"]}
    removed = {a["number"] for a in truth["removed"]}
    urls_of = collections.defaultdict(list)
    extra = collections.Counter()
    extra_examples = []
    for record in exported:
        url = record["url"]
        hit = classify(url)
        number = hit["article"]
        if number in by_number:
            urls_of[number].append(record)
        if same_url(url) in canonical or (number in removed and not hit["trap"]):
            continue
        what = "session" if hit["session"] else hit["kind"]
        extra[what] += 1
        if len(extra_examples) < 3:
            extra_examples.append(url)
    once = [n for n, recs in urls_of.items()
            if len(recs) == 1 and same_url(recs[0]["url"]) == same_url(by_number[n]["url"])]
    fields_ok = 0
    for n in once:
        rec, want = urls_of[n][0], by_number[n]
        fields_ok += (rec.get("title") == want["title"] and rec.get("published") == want["published"]
                      and rec.get("author") == want["author"])
    fresh = [a["number"] for a in truth["articles"] if a["new"]]
    edited = [a for a in truth["articles"] if a["edited"]]
    edits_seen = sum(1 for a in edited
                     if any("Cập nhật: số liệu" in (r.get("text") or "") for r in urls_of[a["number"]]))
    return {"true_articles": len(by_number), "archived": len(urls_of), "exactly_once": len(once),
            "fields_match": fields_ok, "extra_articles": sum(extra.values()),
            "extra": dict(sorted(extra.items())), "extra_examples": extra_examples,
            "new": len(fresh), "new_archived": sum(1 for n in fresh if n in urls_of),
            "edited": len(edited), "edits_seen": edits_seen}


def export_by_site(args, config, db):
    done = provarc(args, config, db, "export", "--format", "jsonl")
    if done.returncode != 0:
        sys.exit("provarc export failed: " + done.stderr)
    by_site = collections.defaultdict(list)
    for line in done.stdout.splitlines():
        if line.strip():
            record = json.loads(line)
            by_site[record["site"]].append(record)
    return by_site


def article_rows_by_site(args, config, db):
    """Articles the archive registered per site (`provarc stats`), with a version or not: a page
    taken for an article whose every parse failed has no version and is not exported."""
    done = provarc(args, config, db, "stats", "--format", "json")
    if done.returncode != 0:
        sys.exit("provarc stats failed: " + done.stderr)
    return {s["site"]: s["articles"] for s in json.loads(done.stdout)}


def pass_figures(args, config, db, out, control, epoch, code, wall, report, rows):
    truth = json.loads(control_get(control, "/truth?epoch=%d" % epoch))
    exported = export_by_site(args, config, db)
    article_rows = article_rows_by_site(args, config, db)
    report_sites = {s["site"]: s for s in report.get("sites", [])}
    sites = {}
    for site in truth["sites"]:
        sid = site["id"]
        prefix = "http://" + site["host"]

        def classify(url, sid=sid, prefix=prefix):
            target = url[len(prefix):] if url.startswith(prefix) else url
            query = urllib.parse.urlencode({"site": sid, "target": target})
            return json.loads(control_get(control, "/classify?" + query))

        figures = archive_figures(exported.get(sid, []), site, classify)
        # Registered beyond the true and removed articles, exported or not.
        figures["article_rows"] = article_rows.get(sid, 0)
        figures["unversioned_rows"] = article_rows.get(sid, 0) - len(exported.get(sid, []))
        figures.update(requests_figures([r for r in rows if r["epoch"] == epoch and r["site"] == sid]))
        rs = report_sites.get(sid, {})
        figures["finished"] = rs.get("finished")
        figures["template_alarm"] = sid in (report.get("template_changed") or [])
        figures["report"] = {k: rs.get(k) for k in ("fetched", "new", "changed", "unchanged",
                                                     "gone", "errors", "failed")}
        sites[sid] = figures
    return {"epoch": epoch, "exit_code": code, "status": report.get("status"),
            "duration_s": round(wall, 1), "report_duration_ms": report.get("duration_ms"),
            # "unfinished": --max-time (or a page budget) left work for the next run.
            "ended_on_its_own": report.get("status") not in ("unfinished", "not ended", None)
                                and all(s["finished"] for s in sites.values()),
            "template_changed": report.get("template_changed") or [], "sites": sites}


def print_pass(p):
    print("\nepoch %d: exit %d, status %s, %.0f s%s" % (
        p["epoch"], p["exit_code"], p["status"], p["duration_s"],
        ", template alarm: " + ", ".join(p["template_changed"]) if p["template_changed"] else ""))
    later = p["epoch"] > 1
    columns = ["site", "ended", "archived", "exactly once", "fields right", "extra articles",
               "no version", "requests", "trap requests", "refetched (extra fetches)", "alarm"]
    if later:
        columns += ["new archived", "edits seen"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))

    def row(name, ended, s):
        extra = ", ".join("%s %d" % kv for kv in s.get("extra", {}).items())
        traps = ", ".join("%s %d" % kv for kv in s.get("traps", {}).items())
        cells = [name, "yes" if ended else "no", "%d/%d" % (s["archived"], s["true_articles"]),
                 str(s["exactly_once"]), str(s["fields_match"]),
                 str(s["extra_articles"]) + (" (" + extra + ")" if extra else ""),
                 str(s["unversioned_rows"]), str(s["requests"]), str(s["trap_requests"]) + (" (" + traps + ")" if traps else ""),
                 "%d (%d)" % (s["refetched_resources"], s["refetches"]),
                 "yes" if s["template_alarm"] else "no"]
        if later:
            cells += ["%d/%d" % (s["new_archived"], s["new"]), "%d/%d" % (s["edits_seen"], s["edited"])]
        print("| " + " | ".join(cells) + " |")

    for sid, s in p["sites"].items():
        row(sid, s["finished"], s)
    sites = p["sites"].values()
    keys = ("archived", "true_articles", "exactly_once", "fields_match", "extra_articles",
            "unversioned_rows", "requests", "trap_requests", "refetched_resources", "refetches", "new_archived", "new",
            "edits_seen", "edited")
    all_sites = {k: sum(s[k] for s in sites) for k in keys}
    all_sites["template_alarm"] = any(s["template_alarm"] for s in sites)
    row("all", p["ended_on_its_own"], all_sites)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provarc", required=True)
    parser.add_argument("--server", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--max-time", default="8m")
    parser.add_argument("--articles", type=int)
    parser.add_argument("--per-page", type=int)
    parser.add_argument("--bomb-mib", type=int)
    parser.add_argument("--crawl-delay", type=int)
    parser.add_argument("--plain", action="store_true",
                        help="the same sites without traps or aliases, only print links")
    parser.add_argument("--web2", action="store_true", help="the second held-out web")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    out = os.path.abspath(args.out)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    server, sites, control = start_server(args, out)
    try:
        config = write_config(out, sites, args.delay, "trapweb2" if args.web2 else "trapweb")
        db = os.path.join(out, "archive.sqlite")
        passes = []
        for epoch in (1, 2):
            if epoch == 2:
                control_get(control, "/epoch?set=2")
            code, wall, report = crawl(args, config, db, out, epoch)
            rows = read_log(out)
            passes.append(pass_figures(args, config, db, out, control, epoch, code, wall, report,
                                       rows))
        runs = provarc(args, config, db, "runs", "--format", "json", "--limit", "2")
        with open(os.path.join(out, "runs.json"), "w") as f:
            f.write(runs.stdout)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

    results = {"web": ("web2 " if args.web2 else "") + ("plain" if args.plain else "traps"), "delay_s": args.delay,
               "max_time": args.max_time, "passes": passes}
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(results, f, indent=2, ensure_ascii=False)
    if args.json:
        json.dump(results, sys.stdout, indent=2, ensure_ascii=False)
        print()
        return
    for p in passes:
        print_pass(p)


if __name__ == "__main__":
    main()
