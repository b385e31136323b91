#!/usr/bin/env python3
"""Every dashboard query returns data from a real Prometheus running the linkprobe rules.

A query can be valid PromQL and still show "No data" for ever: a wrong label in a join, a metric
name one letter off, a recorded series that is never recorded. So this script
  1. writes two hours of a small synthetic fleet, as a collector would expose it (metric names and
     labels from DESIGN.md), to OpenMetrics and backfills it (`promtool tsdb create-blocks-from`);
  2. starts the Debian `prometheus` on that TSDB with ../prometheus/rules (intervals shortened to
     2 s so the recording rules catch up at once), on a free loopback port;
  3. runs every query of every dashboard (variables set to the fleet's values) and fails on an
     error or an empty result.
The fleet: gp1 healthy (fttp), gp2 degraded on every measure (fttp, under contract), gp3 silent
for 30 minutes (adsl). Used by deploy/test.sh; prints one line per query.

    check_queries_live.py DASHBOARD.json...
"""
import json
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent
RULES = HERE.parent / "prometheus" / "rules"
STEP = 15
HOURS = 2
COLLECTOR = {"job": "linkprobe-collector", "instance": "collector:9862"}
RTT_BOUNDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 4]
DELAY_BOUNDS = [1, 5, 15, 30, 60, 120, 300, 600, 3600]

SITES = {
    "gp1": dict(region="south-west", link="fttp", silent=False, rtt={0.005: 0.1, 0.01: 0.6, 0.025: 0.97, 0.05: 1.0},
                rtt_min=0.004, jitter=0.002, loss={"up": 0.0, "down": 0.001}, tput={"down": 38e6, "up": 6e6},
                contract={"down": 40e6, "up": 6.25e6}, bloat={"down": 0.012, "up": 0.02}),
    "gp2": dict(region="north", link="fttp", silent=False, rtt={0.05: 0.05, 0.1: 0.2, 0.25: 0.95, 0.5: 1.0},
                rtt_min=0.03, jitter=0.045, loss={"up": 0.02, "down": 0.004}, tput={"down": 15e6, "up": 5e6},
                contract={"down": 40e6, "up": 6.25e6}, bloat={"down": 0.08, "up": 0.25}),
    "gp3": dict(region="north", link="adsl", silent=True, rtt={0.025: 0.5, 0.05: 1.0},
                rtt_min=0.018, jitter=0.004, loss={"up": 0.0, "down": 0.0}, tput={"down": 1.8e6, "up": 0.12e6},
                contract={"down": 2e6, "up": 0.125e6}, bloat={"down": 0.3, "up": 0.6}),
}


def labels(**kv):
    kv = {**COLLECTOR, **kv}
    return "{" + ",".join(f'{k}="{v}"' for k, v in kv.items()) + "}"


def fleet(now):
    """{series: [(t, value)]} for the synthetic fleet; counters grow from 0 at the start."""
    start = now - HOURS * 3600
    times = list(range(start, now - 5, STEP))
    series = {}

    def add(name, value_at, **kv):
        series[name + labels(**kv)] = [(t, value_at(t)) for t in times]

    def histogram(name, bounds, fractions, per_second, mean, active, **kv):
        def count(t):
            return per_second * (active(t) - start)
        for b in bounds + ["+Inf"]:
            share = 1.0 if b == "+Inf" else max([f for bound, f in fractions.items() if bound <= b], default=0.0)
            add(name + "_bucket", lambda t, s=share: s * count(t), le=b, **kv)
        add(name + "_count", count, **kv)
        add(name + "_sum", lambda t: mean * count(t), **kv)

    for site, s in SITES.items():
        silent_since = now - 1800 if s["silent"] else None
        active = (lambda t, ss=silent_since: min(t, ss) if ss else t)
        st = dict(site=site, target="hub")
        add("linkprobe_site_info", lambda t: 1, site=site, region=s["region"], link=s["link"], agent_version="0.1.0")
        add("linkprobe_agent_last_push_timestamp_seconds", lambda t, a=active: a(t) - a(t) % 60, site=site)
        add("linkprobe_agent_spool_dropped_total", lambda t: 0, site=site)
        if s["link"] == "fttp":  # upgraded: gp1 delivered, gp2 not delivered
            add("linkprobe_upgrade_verdict", lambda t, v=(1 if site == "gp1" else 3): v, site=site)
        histogram("linkprobe_sample_delay_seconds", DELAY_BOUNDS, {120: 1.0}, 1 / 60, 62, active, site=site)
        histogram("linkprobe_rtt_seconds", RTT_BOUNDS, s["rtt"], 5, s["rtt_min"] * 2, active, **st)
        histogram("linkprobe_tcp_connect_seconds", RTT_BOUNDS, s["rtt"], 1 / 60, s["rtt_min"] * 2, active, **st)
        add("linkprobe_rtt_min_seconds", lambda t, v=s["rtt_min"]: v, **st)
        add("linkprobe_jitter_seconds", lambda t, v=s["jitter"]: v, **st)
        add("linkprobe_packets_sent_total", lambda t, a=active: 5 * (a(t) - start), **st)
        add("linkprobe_packets_duplicated_total", lambda t, a=active: 0.0005 * (a(t) - start), **st)
        add("linkprobe_packets_reordered_total", lambda t, a=active: 0.001 * (a(t) - start), **st)
        for d in ("down", "up"):
            add("linkprobe_packets_lost_total", lambda t, a=active, r=s["loss"][d]: 5 * r * (a(t) - start), direction=d, **st)
            add("linkprobe_throughput_bytes_per_second", lambda t, v=s["tput"][d]: v, direction=d, **st)
            add("linkprobe_expected_throughput_bytes_per_second", lambda t, v=s["contract"][d]: v, site=site, direction=d)
            add("linkprobe_bufferbloat_seconds", lambda t, v=s["bloat"][d]: v, direction=d, **st)
            add("linkprobe_loaded_rtt_seconds", lambda t, v=s["bloat"][d] + s["rtt_min"]: v, direction=d, **st)
            add("linkprobe_throughput_tests_total", lambda t, a=active: 1 + (a(t) - start) // 3600, direction=d, result="ok", **st)
            add("linkprobe_probe_bytes_total", lambda t, a=active, v=s["tput"][d]: 10 * v * (1 + (a(t) - start) // 3600),
                direction=d, **st)
            add("linkprobe_tcp_retransmits_total", lambda t, a=active: 12 * (1 + (a(t) - start) // 3600), direction=d, **st)

    add("up", lambda t: 1)
    add("linkprobe_collector_ingested_total", lambda t: 3 * (t - start))
    add("linkprobe_collector_duplicates_total", lambda t: 0.01 * (t - start))
    add("linkprobe_collector_rejected_total", lambda t: 0.02 * (t - start), reason="unauthorized")
    add("linkprobe_collector_archive_write_seconds_count", lambda t: 3 * (t - start))
    add("linkprobe_collector_archive_write_seconds_sum", lambda t: 0.006 * (t - start))
    add("linkprobe_collector_archive_write_seconds_max", lambda t: 0.015)
    add("jvm_memory_used_bytes", lambda t: 300e6, area="heap", id="G1 Old Gen")
    return series


def write_openmetrics(series, path):
    with open(path, "w") as f:
        for name, samples in series.items():
            for t, v in samples:
                f.write(f"{name} {v} {t}\n")
        f.write("# EOF\n")


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
            yield f"{board['uid']} panel {panel['id']} '{panel['title']}' {target['refId']}", target["expr"]
    for ann in board.get("annotations", {}).get("list", []):
        if "expr" in ann:
            yield f"{board['uid']} annotation '{ann['name']}'", ann["expr"]
    for var in board.get("templating", {}).get("list", []):
        m = re.fullmatch(r"label_values\((.*),\s*(\w+)\)", var.get("definition", ""))
        if m:
            yield f"{board['uid']} variable '{var['name']}'", f"group by ({m.group(2)}) ({m.group(1)})"


def substitute(expr, site):
    values = {"__rate_interval": "2m", "__interval": "1m", "region": ".*", "link": ".*", "target": ".*", "site": site}
    return re.sub(r"\$\{?(\w+)\}?", lambda m: values.get(m.group(1), m.group(0)), expr)


def main(paths):
    for tool in ("prometheus", "promtool"):
        if not shutil.which(tool):
            print(f"{tool} not found: install Debian's `prometheus` package")
            return 1
    boards = [json.loads(pathlib.Path(p).read_text()) for p in paths]
    with tempfile.TemporaryDirectory(prefix="linkprobe-live-") as tmp:
        tmp = pathlib.Path(tmp)
        write_openmetrics(fleet(int(time.time())), tmp / "fleet.om")
        r = subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics", "--quiet",
                            str(tmp / "fleet.om"), str(tmp / "tsdb")], capture_output=True, text=True)
        if r.returncode != 0:
            print("backfill failed:", r.stdout, r.stderr)
            return 1
        (tmp / "rules").mkdir()
        for rule_file in RULES.glob("*.yml"):
            text = re.sub(r"^(\s+interval:)\s*\S+", r"\1 2s", rule_file.read_text(), flags=re.M)
            (tmp / "rules" / rule_file.name).write_text(text)
        (tmp / "prometheus.yml").write_text("global:\n  evaluation_interval: 2s\nrule_files:\n  - rules/*.yml\n")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = open(tmp / "prometheus.log", "w")
        prom = subprocess.Popen(["prometheus", f"--config.file={tmp / 'prometheus.yml'}",
                                 f"--storage.tsdb.path={tmp / 'tsdb'}", f"--web.listen-address=127.0.0.1:{port}"],
                                stdout=log, stderr=subprocess.STDOUT)
        try:
            return run_checks(base, boards, tmp)
        finally:
            prom.terminate()
            try:
                prom.wait(timeout=20)
            except subprocess.TimeoutExpired:
                prom.kill()
                prom.wait()
            log.close()


def run_checks(base, boards, tmp):
    # The rules have caught up when every site has a health state and the silent one alerts.
    deadline = time.time() + 90
    while True:
        try:
            if (len(query(base, "site:linkprobe_health:state")) == len(SITES)
                    and query(base, 'ALERTS{alertname="LinkprobeAgentSilent", alertstate="firing"}')):
                break
        except (OSError, ValueError):
            pass
        if time.time() > deadline:
            print("Prometheus did not evaluate the rules in time; its log:")
            print((tmp / "prometheus.log").read_text()[-3000:])
            return 1
        time.sleep(1)

    # The fleet is what the checks below assume: gp1 ok, gp2 degraded, gp3 down.
    health = {r["metric"]["site"]: r["value"][1] for r in query(base, "site:linkprobe_health:state")}
    failures = 0 if health == {"gp1": "0", "gp2": "1", "gp3": "2"} else 1
    print(f"{'ok  ' if not failures else 'FAIL'} health states of the synthetic fleet: {health}")
    total = 1
    for board in boards:
        for where, expr in dashboard_queries(board):
            total += 1
            # The site dashboard: a query passes if some site has data (gp3's alerts, gp2's loss).
            results, error = [], None
            for site in SITES:
                try:
                    results = query(base, substitute(expr, site))
                except ValueError as e:
                    error = str(e)
                    break
                if results or "$site" not in expr:
                    break
            if error or not results:
                failures += 1
                print(f"FAIL {where}: {error or 'no data'}\n     {substitute(expr, 'gp2')}")
            else:
                print(f"ok   {where}: {len(results)} series")
    print(f"{total} checks against a live Prometheus (health states + dashboard queries), {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
