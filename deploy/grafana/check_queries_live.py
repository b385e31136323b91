#!/usr/bin/env python3
"""Every dashboard query and every rule expression returns data from a real Prometheus scraping a
real collector fed by a real agent.

A query can be valid PromQL and still show "No data" for ever: a label the metric does not have,
a join on a label one side lacks, a metric name one letter off. A check that generates the data it
then checks proves nothing (it once backfilled linkprobe_sample_delay_seconds *with* a site label
the collector never exposes, and three panels passed here while showing nothing in Grafana). So:
  1. run the demo jar (`java -jar demo/target/linkprobe-demo.jar`: a collector with its embedded
     responder and an in-process agent for site `demo`, measuring latency, TCP connect time and
     throughput over loopback) with short windows, an early first throughput test and the link
     label `fttp` (so that the full-fibre panel and alert have their site);
  2. start the Debian `prometheus` scraping it every 2 s with ../prometheus/rules (intervals
     shortened to 2 s), on a free loopback port;
  3. wait until the data every panel needs has arrived (a throughput test in both directions, the
     recording rules), then evaluate every panel query (variables set to the demo's values), every
     template variable, every recording rule and every alert expression.
An expression passes if it returns data. An alert's condition is false on a healthy site, so an
alert passes if its expression with the threshold comparisons removed (`x > 0.1` -> `x`) returns
data: the metrics, labels and joins it reads exist. Expressions that are empty on a healthy site by
design are listed below with the reason; anything else that is empty fails.

    check_queries_live.py [--demo-jar JAR] DASHBOARD.json...
"""
import json
import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import yaml

HERE = pathlib.Path(__file__).resolve().parent
RULES = HERE.parent / "prometheus" / "rules"
DEMO_JAR = HERE.parent.parent / "demo" / "target" / "linkprobe-demo.jar"
SITE = "demo"

# Empty on a healthy site by design. Key: "panel <dashboard uid>/<title>", "alert <name>",
# "record <name>" or "annotation <dashboard uid>/<name>". For panels and records the threshold-free
# form must still return data unless the entry says "no data side".
EMPTY_BY_DESIGN = {
    # Filters for trouble: the demo site is healthy and pushing.
    "panel linkprobe-overview/Sites needing attention": "lists degraded or down sites only",
    "panel linkprobe-overview/Silent for more than 15 minutes": "lists sites silent > 15 min only",
    # The demo site has no cut-over (no link label change, no fleet-file upgrade), so no verdict.
    "panel linkprobe-overview/Upgrade verdicts, worst first": "no data side: linkprobe_upgrade_verdict exists only for upgraded sites",
    # Fires on an alert; there is none on a healthy site. No data side: ALERTS itself is empty.
    "annotation linkprobe-site/Firing alerts": "no data side: ALERTS exists only while an alert fires",
}
# Alerts whose data (not only their condition) is absent on a healthy site.
ALERT_DATA_EMPTY_BY_DESIGN = {
    "LinkprobeCollectorAbsent": "absent(up) is empty while a collector is scraped",
    "LinkprobeSiteInfoMissing": "`pushes unless site_info`: every pushing site has its info series",
    "LinkprobeThroughputTestsFailing": "counts tests with result != ok; the demo's tests all succeed",
}
# Series that must exist before the check starts: latency, connect, a throughput test both ways,
# a video test, agent health, and the recording rules built on them.
READY = [
    'linkprobe_rtt_seconds_count{site="demo"}',
    'linkprobe_tcp_connect_seconds_count{site="demo"}',
    'linkprobe_throughput_last_test_timestamp_seconds{site="demo", direction="down"}',
    'linkprobe_throughput_last_test_timestamp_seconds{site="demo", direction="up"}',
    'linkprobe_agent_spool_dropped_total{site="demo"}',
    # two samples of the throughput counters, so increase() over them is defined
    'count_over_time(linkprobe_throughput_tests_total{site="demo", direction="up"}[10m]) > 1',
    'site:linkprobe_health:state{site="demo"}',
    'site_target_direction:linkprobe_throughput_bytes_per_second:contract_ratio{site="demo"}',
    'site_target:linkprobe_jitter_seconds:avg10m{site="demo"}',
    # rate() over the loss counters needs two scrapes after the first window; evaluating before that
    # reads as "no data" once in a while on a busy machine
    'site_target_direction:linkprobe_packets_lost:ratio_rate5m{site="demo"}',
    'site_target:linkprobe_rtt_seconds:p90_rate5m{site="demo"}',
    # the demo's agent runs a short video test (one call, then a ladder to 4) within ~30 s of
    # starting, so the video panels and rules read a real verdict
    'site_target:linkprobe_video_verdict:latest{site="demo"}',
    'count_over_time(linkprobe_video_probe_bytes_total{site="demo"}[10m]) > 1',
]
COMPARISON = re.compile(r"(==|!=|>=|<=|>|<)\s*(bool\s+)?[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?(?![\w.])")


def strip_thresholds(expr):
    """`x > 0.1` -> `x`: removes comparisons with a number literal outside strings, {} and []."""
    out, i, depth_brace, depth_bracket, quote = [], 0, 0, 0, None
    while i < len(expr):
        c = expr[i]
        if quote:
            out.append(c)
            if c == "\\":
                out.append(expr[i + 1])
                i += 2
                continue
            if c == quote:
                quote = None
            i += 1
            continue
        if c in "\"'`":
            quote = c
        elif c == "{":
            depth_brace += 1
        elif c == "}":
            depth_brace -= 1
        elif c == "[":
            depth_bracket += 1
        elif c == "]":
            depth_bracket -= 1
        elif depth_brace == 0 and depth_bracket == 0:
            m = COMPARISON.match(expr, i)
            if m:
                i = m.end()
                continue
        out.append(c)
        i += 1
    return "".join(out)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def query(base, expr):
    url = f"{base}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            body = json.load(r)
    except urllib.error.HTTPError as e:
        body = json.load(e)
    if body.get("status") != "success":
        raise ValueError(body.get("error", body))
    return body["data"]["result"]


def dashboard_queries(board):
    for panel in board.get("panels", []):
        for target in panel.get("targets", []):
            yield (f"panel {board['uid']}/{panel['title']}", f"{board['uid']} panel {panel['id']} "
                   f"'{panel['title']}' {target['refId']}", target["expr"])
    for ann in board.get("annotations", {}).get("list", []):
        if "expr" in ann:
            yield f"annotation {board['uid']}/{ann['name']}", f"{board['uid']} annotation '{ann['name']}'", ann["expr"]
    for var in board.get("templating", {}).get("list", []):
        m = re.fullmatch(r"label_values\((.*),\s*(\w+)\)", var.get("definition", ""))
        if m:
            yield (f"variable {board['uid']}/{var['name']}", f"{board['uid']} variable '{var['name']}'",
                   f"group by ({m.group(2)}) ({m.group(1)})")


def rule_expressions():
    for f in sorted(RULES.glob("*.yml")):
        for group in yaml.safe_load(f.read_text())["groups"]:
            for rule in group["rules"]:
                if "record" in rule:
                    yield f"record {rule['record']}", f"record {rule['record']}", rule["expr"]
                else:
                    sev = rule.get("labels", {}).get("severity", "")
                    yield f"alert {rule['alert']}", f"alert {rule['alert']} ({sev})", rule["expr"]


def substitute(expr):
    values = {"__rate_interval": "1m", "__interval": "15s", "region": ".*", "link": ".*", "target": ".*", "site": SITE}
    return re.sub(r"\$\{?(\w+)(:\w+)?\}?", lambda m: values.get(m.group(1), m.group(0)), expr)


def start_demo(jar, tmp):
    log = open(tmp / "demo.log", "w")
    demo = subprocess.Popen(["java", "-jar", str(jar), "--http-port", "0", "--window", "5s",
                             "--link", "fttp"],
                            stdout=subprocess.PIPE, stderr=log, text=True, cwd=tmp)
    port = None
    deadline = time.time() + 60
    lines = []
    while time.time() < deadline:
        line = demo.stdout.readline()
        if not line:
            break
        lines.append(line)
        m = re.search(r"metrics\s+http://127\.0\.0\.1:(\d+)/metrics", line)
        if m:
            port = int(m.group(1))
            break
    # Keep reading the demo's stdout so that it never blocks on a full pipe.
    import threading
    threading.Thread(target=lambda: [None for _ in demo.stdout], daemon=True).start()
    return demo, port, log, "".join(lines)


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main(argv):
    jar = DEMO_JAR
    if argv[:1] == ["--demo-jar"]:
        jar, argv = pathlib.Path(argv[1]), argv[2:]
    for tool in ("prometheus", "java"):
        if not shutil.which(tool):
            print(f"{tool} not found: install Debian's `prometheus` package and a Java 17 runtime")
            return 1
    if not jar.is_file():
        print(f"{jar} is not built: run `mvn -q -DskipTests package` at the repository root first")
        return 1
    boards = [json.loads(pathlib.Path(p).read_text()) for p in argv]
    with tempfile.TemporaryDirectory(prefix="linkprobe-live-") as tmp:
        tmp = pathlib.Path(tmp)
        demo, collector_port, demo_log, printed = start_demo(jar, tmp)
        try:
            if collector_port is None:
                print("the demo did not print its metrics URL:\n" + printed + (tmp / "demo.log").read_text()[-3000:])
                return 1
            return with_prometheus(tmp, collector_port, boards)
        finally:
            stop(demo)
            demo_log.close()


def with_prometheus(tmp, collector_port, boards):
    (tmp / "rules").mkdir()
    for rule_file in RULES.glob("*.yml"):
        text = re.sub(r"^(\s+interval:)\s*\S+", r"\1 2s", rule_file.read_text(), flags=re.M)
        (tmp / "rules" / rule_file.name).write_text(text)
    (tmp / "prometheus.yml").write_text(
        "global:\n  scrape_interval: 2s\n  evaluation_interval: 2s\nrule_files:\n  - rules/*.yml\n"
        "scrape_configs:\n  - job_name: linkprobe-collector\n    static_configs:\n"
        f"      - targets: ['127.0.0.1:{collector_port}']\n")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(tmp / "prometheus.log", "w")
    prom = subprocess.Popen(["prometheus", f"--config.file={tmp / 'prometheus.yml'}",
                             f"--storage.tsdb.path={tmp / 'tsdb'}", f"--web.listen-address=127.0.0.1:{port}"],
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        return run_checks(base, boards, tmp)
    finally:
        stop(prom)
        log.close()


def wait_ready(base, tmp):
    started = time.time()
    deadline = started + 240
    missing = READY
    while time.time() < deadline:
        try:
            missing = [q for q in READY if not query(base, q)]
        except (OSError, ValueError):
            pass
        if not missing:
            print(f"ok   real data from the demo after {time.time() - started:.0f} s")
            return True
        time.sleep(2)
    print(f"FAIL no real data after {time.time() - started:.0f} s for: {missing}")
    print("     Prometheus log:\n" + (tmp / "prometheus.log").read_text()[-2000:])
    print("     demo log:\n" + (tmp / "demo.log").read_text()[-3000:])
    return False


def run_checks(base, boards, tmp):
    if not wait_ready(base, tmp):
        return 1
    failures = 0
    health = query(base, f'site:linkprobe_health:state{{site="{SITE}"}}')
    healthy = [r["value"][1] for r in health] == ["0"]
    print(f"{'ok  ' if healthy else 'FAIL'} the demo site is healthy: site:linkprobe_health:state = "
          f"{[r['value'][1] for r in health]}")
    failures += 0 if healthy else 1
    seen_keys = set()
    total = 1
    expressions = [e for b in boards for e in dashboard_queries(b)] + list(rule_expressions())
    for key, where, raw in expressions:
        total += 1
        seen_keys.add(key)
        expr = substitute(raw)
        try:
            results = query(base, expr)
        except ValueError as e:
            failures += 1
            print(f"FAIL {where}: {e}\n     {expr}")
            continue
        if results:
            print(f"ok   {where}: {len(results)} series")
            continue
        alert = key.startswith("alert ")
        reason = EMPTY_BY_DESIGN.get(key) or (ALERT_DATA_EMPTY_BY_DESIGN.get(key[6:]) if alert else None)
        if reason and "no data side" in reason or alert and key[6:] in ALERT_DATA_EMPTY_BY_DESIGN:
            print(f"ok   {where}: empty by design ({reason})")
            continue
        if alert or reason:
            data_side = strip_thresholds(expr)
            data = query(base, data_side)
            if data:
                why = "its condition is false on a healthy site" if alert else reason
                print(f"ok   {where}: empty by design ({why}); without thresholds {len(data)} series")
                continue
            failures += 1
            print(f"FAIL {where}: no data even without its thresholds\n     {data_side}")
            continue
        failures += 1
        print(f"FAIL {where}: no data from a real collector\n     {expr}")
    stale = [k for k in EMPTY_BY_DESIGN if k not in seen_keys]
    stale += [a for a in ALERT_DATA_EMPTY_BY_DESIGN if f"alert {a}" not in seen_keys]
    for k in stale:
        failures += 1
        print(f"FAIL the empty-by-design list names '{k}', which no dashboard or rule has: remove it")
    print(f"{total} checks against a Prometheus scraping the demo's real collector, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
