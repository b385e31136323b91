#!/usr/bin/env python3
"""The global view of deploy/multi-region, end to end with the real programs: every site of both
collectors once in the dashboards' queries, read through VictoriaMetrics, and an alert that fires
where it should.

Starts, all on 127.0.0.1 with free ports and temporary directories, ended by pid:
  * two collectors (the real jar, collector/target/linkprobe-collector.jar, one SQLite archive
    each: the claim here is about metrics; the shared PostgreSQL archive has its own chaos test);
  * one VictoriaMetrics (Debian `victoria-metrics`);
  * two vmagents, one per collector, scraping it every 2 s with the `collector` label, as
    deploy/multi-region/vmagent/collector-N.yml, and remote_writing into VictoriaMetrics;
  * vmalert with deploy/prometheus/rules/*.yml against VictoriaMetrics, notifying a stub
    Alertmanager (a few lines of Python here that record what they are sent);
  * the load generator (collector/src/test/java/.../load, as bench/ingest.sh runs it) as agents:
      site-00000..04 push to collector-1 all along, site-00005..09 to collector-2 all along,
      M = site-00010 pushes to collector-1, then moves to collector-2 (collector-1 keeps its frozen
      series, as after a real failover, until its series_ttl of 1 h),
      S = site-00011 pushes to collector-1, then falls silent.
Then, through VictoriaMetrics' query API, it evaluates every query of
deploy/grafana/dashboards/*.json (the overview with every region and link; the site dashboard for
M, S and one site of each collector) and checks that no site appears twice (no two series that
differ only in collector/instance/job), that the per-site panels list every one of the 12 sites,
that the site counts are 12, and that LinkprobeAgentSilent fires for S and for nothing else (not
for M, whose series on collector-1 are as old as S's), in ALERTS and at the Alertmanager.

The rules run as shipped except in a test copy with two changes, printed: every group's interval
1m -> 5s, and the 15-minute silence (`> 900`, in LinkprobeAgentSilent and the health state) ->
60 s, so that a silence can be seen within the time bound. The dashboards run unchanged.

    deploy/multi-region/check_global_view.py          (needs: mvn -B -ntp -DskipTests package)
    deploy/multi-region/check_global_view.py --measure SITES MINUTES
        the figures behind README's sizing table instead: series per site and bytes per series in
        VictoriaMetrics for SITES simulated sites over MINUTES of 15 s scrapes (see measure()).

Time bound: about 3 minutes, never more than 4 (a deadline of its own; .ci/run adds `timeout`). Exit 0 pass, 1 fail,
2 setup error; exit 0 with a printed reason when victoria-metrics/vmagent/vmalert are not installed.
"""
import http.server
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "deploy" / "grafana"))
from check_queries_live import dashboard_queries, free_port, query, stop  # noqa: E402

RULES = ROOT / "deploy" / "prometheus" / "rules"
DASHBOARDS = sorted((ROOT / "deploy" / "grafana" / "dashboards").glob("*.json"))
# The environment may name copies (a long --measure run while a build rewrites target/).
JAR = pathlib.Path(os.environ.get("LINKPROBE_COLLECTOR_JAR", ROOT / "collector" / "target" / "linkprobe-collector.jar"))
LOAD_CLASSES = pathlib.Path(os.environ.get("LINKPROBE_LOAD_CLASSES", ROOT / "collector" / "target" / "test-classes"))
BOUND_S = 240

A = [f"site-{i:05d}" for i in range(0, 5)]     # collector-1 all along
B = [f"site-{i:05d}" for i in range(5, 10)]    # collector-2 all along
M = "site-00010"                               # collector-1, then collector-2
S = "site-00011"                               # collector-1, then silent
ALL = A + B + [M, S]
PHASE1_S = 20       # M and S push to collector-1 for this long
SILENT_S = 60       # the test copy's silence threshold (shipped: 900)
SCRAPE = "2s"
EVAL = "5s"
PUSH_EVERY_S = 5    # each simulated agent pushes this often

# Panels of the overview that list trouble only (a subset of the sites, possibly none).
TROUBLE_ONLY = {
    "linkprobe-overview/Sites needing attention",
    "linkprobe-overview/Silent for more than 15 minutes",  # the dashboard keeps the shipped 900 s
    "linkprobe-overview/Full-fibre sites: best test of the last 24 h / contract",  # fibre links only
}
TOPK = re.compile(r"^\s*(?:topk|bottomk)\((\d+),")
# Data the load generator does not send (it pushes latency windows, throughput results and agent
# health only): these queries are empty here. The demo-backed check (deploy/grafana/
# check_queries_live.py) shows them filled by a real agent; here they are only checked not to
# double a site when they do return something.
NO_LOAD_DATA = {
    "linkprobe-overview/Upgrade verdicts, worst first": "no upgrades in this run",
    "linkprobe-site/TCP connect time p50 / p90": "the load generator sends no TCP connect results",
    "linkprobe-site/Firing alerts": "fires only for S",
    "linkprobe-overview/Fewest concurrent video calls (last test)": "the load generator sends no video results",
    "linkprobe-site/Video verdict (one call)": "the load generator sends no video results",
    "linkprobe-site/Concurrent video calls": "the load generator sends no video results",
    "linkprobe-site/Call MOS (G.107)": "the load generator sends no video results",
    "linkprobe-site/Concurrent video calls carried": "the load generator sends no video results",
    "linkprobe-site/Video call loss per direction": "the load generator sends no video results",
    "linkprobe-site/Video call jitter per direction (RFC 3550, one-way)": "the load generator sends no video results",
    "linkprobe-site/Video test traffic per day": "the load generator sends no video results",
}
IGNORED_FOR_DOUBLING = {"collector", "instance", "job", "__name__"}

failures = 0


def say(ok, what):
    global failures
    if not ok:
        failures += 1
    print(f"{'ok  ' if ok else 'FAIL'} {what}", flush=True)


def wait_for(what, predicate, deadline, every=1.0):
    while time.time() < deadline:
        try:
            if predicate():
                return True
        except (OSError, ValueError):
            pass
        time.sleep(every)
    print(f"     timed out waiting for {what}", flush=True)
    return False


class Procs:
    """Processes this script started, stopped by pid in reverse order."""

    def __init__(self, tmp):
        self.tmp, self.procs = tmp, []

    def start(self, name, argv, cwd=None):
        log = open(self.tmp / f"{name}.log", "w")
        p = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, cwd=cwd or self.tmp)
        self.procs.append((name, p, log))
        return p

    def stop_all(self):
        for name, p, log in reversed(self.procs):
            if p.poll() is None:
                stop(p)
            log.close()

    def log(self, name, tail=2500):
        f = self.tmp / f"{name}.log"
        return f.read_text(errors="replace")[-tail:] if f.exists() else ""


class AlertmanagerStub(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            AlertmanagerStub.received.extend(json.loads(body))
        except ValueError:
            pass
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def http_ok(url):
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.status == 200


def start_collector(procs, tmp, name, tokens):
    d = tmp / name
    d.mkdir()
    port = free_port()
    (d / "collector.yml").write_text(
        f"http: {{bind: 127.0.0.1, port: {port}}}\n"
        f"tokens_file: {tokens}\n"
        "archive: {path: collector.db}\n"
        "responder: {enabled: false}\n")
    p = procs.start(name, ["java", "-Xmx256m", "-jar", str(JAR), "run", "--config", str(d / "collector.yml")], cwd=d)
    return p, f"127.0.0.1:{port}"


def generator(procs, tmp, name, url, sites, tokens_by_site, duration):
    """The load generator pushing for `sites` (their order fixes their region and link) to `url`."""
    agents = tmp / f"{name}.tsv"
    agents.write_text("".join(f"{s} {tokens_by_site[s]}\n" for s in sites))
    rate = len(sites) / PUSH_EVERY_S  # one target each: a push every PUSH_EVERY_S seconds
    return procs.start(name, ["java", "-Xmx128m", "-cp", f"{LOAD_CLASSES}:{JAR}", "io.linkprobe.collector.load.LoadMain",
                              "steady", "--url", f"http://{url}", "--agents-file", str(agents),
                              "--agents", str(len(sites)), "--targets", "1", "--threads", "1",
                              "--rate", str(rate), "--warmup", "PT0S", "--duration", duration,
                              "--throughput-probability", "1"])


def test_rules(tmp):
    """The shipped rules with the group intervals and the 15-minute silence shortened."""
    out = tmp / "rules"
    out.mkdir()
    silences = 0
    for f in sorted(RULES.glob("*.yml")):
        text = re.sub(r"^(\s+interval:)\s*1m\s*$", rf"\1 {EVAL}", f.read_text(), flags=re.M)
        text, n = re.subn(r"(time\(\) - site:linkprobe_agent_last_push_timestamp_seconds:max1d > (?:bool )?)900\b",
                          rf"\g<1>{SILENT_S}", text)
        silences += n
        (out / f.name).write_text(text)
    print(f"     rules: {', '.join(f.name for f in sorted(RULES.glob('*.yml')))} with interval 1m -> {EVAL} "
          f"and the 900 s silence -> {SILENT_S} s ({silences} places)", flush=True)
    if silences != 2:
        print("     expected the silence in 2 places (LinkprobeAgentSilent, site:linkprobe_health:state): "
              "update this script with the rules")
        sys.exit(2)
    return out


def substitute(expr, site):
    values = {"__rate_interval": "1m", "__interval": SCRAPE, "region": ".*", "link": ".*", "target": ".*",
              "site": site}
    return re.sub(r"\$\{?(\w+)(:\w+)?\}?", lambda m: values.get(m.group(1), m.group(0)), expr)


def check_result(key, where, results, site=None, expr=""):
    """No site twice; only known sites; the site dashboard shows its site only."""
    seen = {}
    for r in results:
        # A site's series must not differ by collector; a collector's own series (no site) may.
        ignored = IGNORED_FOR_DOUBLING if "site" in r["metric"] else {"__name__"}
        labels = {k: v for k, v in r["metric"].items() if k not in ignored}
        seen.setdefault(tuple(sorted(labels.items())), []).append(r["metric"].get("collector", "-"))
    doubled = {k: v for k, v in seen.items() if len(v) > 1}
    sites = {r["metric"]["site"] for r in results if "site" in r["metric"]}
    problems = []
    if doubled:
        problems.append("doubled: " + "; ".join(f"{dict(k)} from {v}" for k, v in list(doubled.items())[:3]))
    if sites - set(ALL):
        problems.append(f"unknown sites {sorted(sites - set(ALL))}")
    variable = key.split("/")[-1] == "site" and where.split()[1] == "variable"
    if site and not variable and sites - {site}:
        problems.append(f"other sites than {site}: {sorted(sites - {site})}")
    limit = TOPK.match(expr)
    limited = limit and len(results) >= int(limit.group(1))  # the first N of more series
    if (not site or variable) and sites and key not in TROUBLE_ONLY and not limited and sites != set(ALL):
        problems.append(f"missing sites {sorted(set(ALL) - sites)}")
    return sites, problems


def check_dashboards(vm):
    checked = 0
    for path in DASHBOARDS:
        board = json.loads(path.read_text())
        per_site = any(v.get("name") == "site" for v in board.get("templating", {}).get("list", []))
        for site in ([M, S, A[0], B[0]] if per_site else [None]):
            for key, where, raw in dashboard_queries(board):
                short = key.split(" ", 1)[1]
                expr = substitute(raw, site or "")
                where_site = f"{where}" + (f" [site={site}]" if site else "")
                try:
                    results = query(vm, expr)
                except (OSError, ValueError) as e:
                    say(False, f"{where_site}: {e}")
                    continue
                checked += 1
                sites, problems = check_result(short, where, results, site, expr)
                if problems:
                    say(False, f"{where_site}: " + "; ".join(problems) + f"\n     {' '.join(expr.split())}")
                elif not results and short in NO_LOAD_DATA:
                    print(f"ok   {where_site}: empty ({NO_LOAD_DATA[short]})")
                elif not results and short in TROUBLE_ONLY:
                    print(f"ok   {where_site}: empty (lists trouble only)")
                elif not results and site == S and "rate_interval" in raw:
                    print(f"ok   {where_site}: empty (S has been silent longer than the 1m rate window)")
                elif not results:
                    say(False, f"{where_site}: no data\n     {' '.join(expr.split())}")
                else:
                    what = (f"{len(sites)} sites once each" if sites and (not site or len(sites) > 1)
                            else f"{len(results)} series, no site twice" if sites or site
                            else f"{len(results)} series, none twice")
                    limit = TOPK.match(expr)
                    if limit and len(results) >= int(limit.group(1)):
                        what += f" (its first {limit.group(1)} series)"
                    print(f"ok   {where_site}: {what}")
    return checked


def scalar(vm, expr):
    r = query(vm, expr)
    return [float(x["value"][1]) for x in r]


def main():
    missing = [t for t in ("victoria-metrics", "vmagent", "vmalert") if not shutil.which(t)]
    if missing:
        print(f"SKIP the VictoriaMetrics global-view check: {', '.join(missing)} not installed "
              "(apt-get install victoria-metrics)")
        return 0
    for f in (JAR, LOAD_CLASSES / "io/linkprobe/collector/load/LoadMain.class"):
        if not f.exists():
            print(f"{f} is missing: run `mvn -B -ntp -DskipTests package` at the repository root first")
            return 2
    if not shutil.which("java"):
        print("java not found: a Java 17 runtime is needed")
        return 2
    start = time.time()
    deadline = start + BOUND_S - 25  # leaves the checks and the shutdown inside the bound
    version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "victoria-metrics"], capture_output=True,
                             text=True).stdout or "(version unknown)"
    print(f"== VictoriaMetrics global view: 2 collectors, 2 vmagents, VictoriaMetrics + vmalert {version}, "
          f"{len(ALL)} simulated sites; bound {BOUND_S} s", flush=True)
    with tempfile.TemporaryDirectory(prefix="linkprobe-vm-") as tmp:
        tmp = pathlib.Path(tmp)
        procs = Procs(tmp)
        try:
            return run(tmp, procs, start, deadline)
        finally:
            procs.stop_all()
            print(f"     ({time.time() - start:.0f} s)")


def run(tmp, procs, start, deadline):
    # --- tokens for the 12 sites (both collectors accept every site, as the compose file does) ---
    subprocess.run(["java", "-cp", f"{LOAD_CLASSES}:{JAR}", "io.linkprobe.collector.load.LoadMain", "prepare",
                    "--dir", str(tmp), "--sites", str(len(ALL))], check=True, capture_output=True)
    tokens_by_site = dict(line.split() for line in (tmp / "agents.tsv").read_text().splitlines() if line.strip())

    vm_port = free_port()
    vm = f"http://127.0.0.1:{vm_port}"
    procs.start("victoria-metrics", ["victoria-metrics", f"-storageDataPath={tmp / 'vm-data'}",
                                     f"-httpListenAddr=127.0.0.1:{vm_port}", "-retentionPeriod=1",
                                     # test only: fresh samples visible at once (default 30 s)
                                     "-search.latencyOffset=1s", "-search.disableCache"])
    c1, c1_addr = start_collector(procs, tmp, "collector-1", tmp / "tokens")
    c2, c2_addr = start_collector(procs, tmp, "collector-2", tmp / "tokens")

    am_port = free_port()
    am = http.server.ThreadingHTTPServer(("127.0.0.1", am_port), AlertmanagerStub)
    threading.Thread(target=am.serve_forever, daemon=True).start()
    try:
        if not wait_for("VictoriaMetrics", lambda: http_ok(f"{vm}/health"), time.time() + 30, 0.3):
            print(procs.log("victoria-metrics"))
            return 2
        for name, addr in (("collector-1", c1_addr), ("collector-2", c2_addr)):
            if not wait_for(name, lambda: http_ok(f"http://{addr}/metrics"), time.time() + 60, 0.5):
                print(procs.log(name))
                return 2
        for n, addr in ((1, c1_addr), (2, c2_addr)):
            (tmp / f"scrape-{n}.yml").write_text(
                f"global: {{scrape_interval: {SCRAPE}, scrape_timeout: {SCRAPE}}}\n"
                "scrape_configs:\n  - job_name: linkprobe-collector\n    static_configs:\n"
                f"      - targets: ['{addr}']\n        labels: {{collector: collector-{n}}}\n")
            procs.start(f"vmagent-{n}", ["vmagent", f"-promscrape.config={tmp / f'scrape-{n}.yml'}",
                                         f"-remoteWrite.url={vm}/api/v1/write",
                                         f"-remoteWrite.tmpDataPath={tmp / f'vmagent-{n}'}",
                                         f"-httpListenAddr=127.0.0.1:{free_port()}", "-remoteWrite.flushInterval=1s"])
        rules = test_rules(tmp)
        vmalert_port = free_port()
        procs.start("vmalert", ["vmalert", f"-rule={rules}/*.yml", f"-datasource.url={vm}", f"-remoteWrite.url={vm}",
                                f"-notifier.url=http://127.0.0.1:{am_port}", f"-evaluationInterval={EVAL}",
                                f"-httpListenAddr=127.0.0.1:{vmalert_port}", "-remoteWrite.flushInterval=1s"])
        vmalert = f"http://127.0.0.1:{vmalert_port}"
        if not wait_for("vmalert", lambda: http_ok(f"{vmalert}/health"), time.time() + 30, 0.5):
            print(procs.log("vmalert"))
            return 2
        print(f"     started in {time.time() - start:.0f} s: VictoriaMetrics {vm}, vmalert {vmalert}, "
              f"collectors {c1_addr} and {c2_addr}", flush=True)

        # --- agents ---
        generator(procs, tmp, "agents-a", c1_addr, A, tokens_by_site, "PT10M")
        generator(procs, tmp, "agents-b", c2_addr, B, tokens_by_site, "PT10M")
        # M first: its place in the agents file fixes its region and link, the same in both phases.
        ms = generator(procs, tmp, "agents-m-s-phase1", c1_addr, [M, S], tokens_by_site, "PT10M")
        # Phase 1 ends when both have pushed to collector-1 for PHASE1_S: their agents stop at once.
        pushed = f'linkprobe_agent_last_push_timestamp_seconds{{collector="collector-1", site=~"{M}|{S}"}}'
        if not wait_for(f"{M} and {S} on collector-1", lambda: len(query(vm, pushed)) == 2, time.time() + 60):
            print(procs.log("agents-m-s-phase1"))
            return 2
        time.sleep(PHASE1_S)
        stop(ms)
        moved_at = time.time()
        generator(procs, tmp, "agents-m-phase2", c2_addr, [M], tokens_by_site, "PT10M")
        print(f"     {M} moved from collector-1 to collector-2 and {S} fell silent at +{moved_at - start:.0f} s",
              flush=True)

        # --- wait for the alert, then check ---
        def silent_fires():
            return query(vm, 'ALERTS{alertname="LinkprobeAgentSilent", alertstate="firing"}')
        fired = wait_for("LinkprobeAgentSilent to fire", silent_fires, deadline, 2)
        wait_for(f"{M}'s latest collector to be collector-2",
                 lambda: [r["metric"].get("collector") for r in query(
                     vm, f'site_collector:linkprobe_agent_last_push_timestamp_seconds:latest{{site="{M}"}}')]
                 == ["collector-2"], deadline, 1)
        print(f"     checking at +{time.time() - start:.0f} s ({time.time() - moved_at:.0f} s after the move)",
              flush=True)
        for n, c in ((1, c1), (2, c2)):
            if c.poll() is not None:
                say(False, f"collector-{n} exited: {procs.log(f'collector-{n}')}")

        # Both collectors expose M; only collector-1 exposes S; the raw series are there.
        raw = query(vm, 'max by (site, collector) (linkprobe_agent_last_push_timestamp_seconds)')
        by_site = {}
        for r in raw:
            by_site.setdefault(r["metric"]["site"], set()).add(r["metric"]["collector"])
        say(by_site.get(M) == {"collector-1", "collector-2"},
            f"raw: {M} has series on both collectors ({sorted(by_site.get(M, []))}), as after a failover")
        say(set(by_site) == set(ALL), f"raw: {len(by_site)} of {len(ALL)} sites reach VictoriaMetrics")
        latest = {r["metric"]["site"]: r["metric"].get("collector") for r in query(
            vm, "site_collector:linkprobe_agent_last_push_timestamp_seconds:latest")}
        expect = {**{s: "collector-1" for s in A + [S]}, **{s: "collector-2" for s in B + [M]}}
        say(latest == expect, f"site_collector:...:latest names each site's current collector "
                              f"({M} -> {latest.get(M)}, {S} -> {latest.get(S)})")
        for expr, want in (("count(site:linkprobe_health:state)", len(ALL)),
                           ("count(site:linkprobe_site_info:labels)", len(ALL)),
                           ("count(site:linkprobe_health:state == 2)", 1),
                           ('sum(up{job="linkprobe-collector"})', 2)):
            got = scalar(vm, expr)
            say(got == [want], f"{expr} = {got} (want {want})")

        checked = check_dashboards(vm)
        print(f"     {checked} dashboard queries evaluated through VictoriaMetrics")

        # --- the alert: S and only S, in VictoriaMetrics (ALERTS) and at the Alertmanager ---
        alerts = query(vm, 'ALERTS{alertname="LinkprobeAgentSilent", alertstate="firing"}') if fired else []
        fired_sites = sorted(r["metric"].get("site") for r in alerts)
        say(fired_sites == [S], f"LinkprobeAgentSilent fires for {fired_sites} (want [{S}]; not {M}, "
                                f"whose collector-1 series are as old as S's)")
        if alerts:
            labels = alerts[0]["metric"]
            say(labels.get("region") and labels.get("link") and "collector" not in labels,
                f"its labels: region={labels.get('region')} link={labels.get('link')}, no collector label")
        at_am = sorted({a.get("labels", {}).get("site") for a in AlertmanagerStub.received
                        if a.get("labels", {}).get("alertname") == "LinkprobeAgentSilent"})
        say(at_am == [S], f"the Alertmanager was sent LinkprobeAgentSilent for {at_am}")
        others = sorted({(r["metric"]["alertname"], r["metric"].get("site", "-")) for r in query(
            vm, 'ALERTS{alertstate="firing", alertname!="LinkprobeAgentSilent"}')})
        print(f"     other alerts firing (for information: the load generator's link archetypes include "
              f"lossy and slow lines): {others if others else 'none'}")
        print(f"{'PASS' if failures == 0 else 'FAIL'} VictoriaMetrics global view: {failures} failed, "
              f"{time.time() - start:.0f} s")
        return 1 if failures else 0
    finally:
        am.shutdown()


def vm_metrics(vm):
    """VictoriaMetrics' own /metrics as {name{labels}: value}."""
    with urllib.request.urlopen(f"{vm}/metrics", timeout=10) as r:
        text = r.read().decode()
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            out[name] = float(value)
    return out


def cpu_seconds(pid):
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_bytes(pid):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def query_long(vm, expr):
    url = f"{vm}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(url, timeout=120) as r:
        return json.load(r)["data"]["result"]


def measure(sites, minutes):
    """Series per site and bytes per series in VictoriaMetrics: one collector, N simulated sites
    pushing once a minute (3 targets, a throughput result in 2 % of pushes), one vmagent scraping
    every 15 s as shipped; after M minutes a forced flush and merge, then VictoriaMetrics' own
    figures (/api/v1/status/tsdb, vm_rows, vm_data_size_bytes) and its data directory size."""
    for t in ("victoria-metrics", "vmagent"):
        if not shutil.which(t):
            print(f"{t} not installed (apt-get install victoria-metrics)")
            return 2
    with tempfile.TemporaryDirectory(prefix="linkprobe-vm-measure-") as tmp:
        tmp = pathlib.Path(tmp)
        procs = Procs(tmp)
        try:
            subprocess.run(["java", "-cp", f"{LOAD_CLASSES}:{JAR}", "io.linkprobe.collector.load.LoadMain", "prepare",
                            "--dir", str(tmp), "--sites", str(sites)], check=True, capture_output=True)
            vm_port = free_port()
            vm = f"http://127.0.0.1:{vm_port}"
            vmp = procs.start("victoria-metrics", ["victoria-metrics", f"-storageDataPath={tmp / 'vm-data'}",
                                                   f"-httpListenAddr=127.0.0.1:{vm_port}", "-retentionPeriod=1"])
            c, addr = start_collector(procs, tmp, "collector-1", tmp / "tokens")
            if not (wait_for("VictoriaMetrics", lambda: http_ok(f"{vm}/health"), time.time() + 30, 0.3)
                    and wait_for("collector", lambda: http_ok(f"http://{addr}/metrics"), time.time() + 60, 0.5)):
                print(procs.log("victoria-metrics") + procs.log("collector-1"))
                return 2
            procs.start("agents", ["java", "-Xmx512m", "-cp", f"{LOAD_CLASSES}:{JAR}",
                                   "io.linkprobe.collector.load.LoadMain", "steady", "--url", f"http://{addr}",
                                   "--agents-file", str(tmp / "agents.tsv"), "--agents", str(sites), "--targets", "3",
                                   "--rate", str(sites * 3 / 60), "--warmup", "PT0S",
                                   "--duration", f"PT{minutes + 2}M"])
            time.sleep(65)  # every site has pushed once: all its series exist before the scrapes count
            (tmp / "scrape.yml").write_text(
                "global: {scrape_interval: 15s, scrape_timeout: 10s}\nscrape_configs:\n"
                "  - job_name: linkprobe-collector\n    sample_limit: 2000000\n    static_configs:\n"
                f"      - targets: ['{addr}']\n        labels: {{collector: collector-1}}\n")
            procs.start("vmagent", ["vmagent", f"-promscrape.config={tmp / 'scrape.yml'}",
                                    f"-remoteWrite.url={vm}/api/v1/write",
                                    f"-remoteWrite.tmpDataPath={tmp / 'vmagent'}", f"-httpListenAddr=127.0.0.1:{free_port()}"])
            cpu0, t0 = cpu_seconds(vmp.pid), time.time()
            print(f"     {sites} sites pushing; scraping every 15 s for {minutes} min ...", flush=True)
            time.sleep(minutes * 60)
            cpu = cpu_seconds(vmp.pid) - cpu0
            elapsed = time.time() - t0
            rss = rss_bytes(vmp.pid)
            urllib.request.urlopen(f"{vm}/internal/force_flush", timeout=60).read()
            urllib.request.urlopen(f"{vm}/internal/force_merge", timeout=60).read()
            time.sleep(20)  # the merge runs in the background
            urllib.request.urlopen(f"{vm}/internal/force_flush", timeout=60).read()
            m = vm_metrics(vm)
            rows = sum(v for k, v in m.items() if k.startswith("vm_rows{") and "storage/" in k)
            data = sum(v for k, v in m.items() if k.startswith("vm_data_size_bytes{") and "storage/" in k)
            index = sum(v for k, v in m.items() if k.startswith("vm_data_size_bytes{") and "indexdb" in k)
            series = m.get("vm_new_timeseries_created_total", 0)
            du = subprocess.run(["du", "-sb", str(tmp / "vm-data")], capture_output=True, text=True).stdout.split()[0]
            print(f"result vm.sites {sites}")
            print(f"result vm.series_total {series:.0f}  (vm_new_timeseries_created_total)")
            print(f"result vm.rows {rows:.0f}")
            print(f"result vm.data_bytes {data:.0f}")
            print(f"result vm.indexdb_bytes {index:.0f}")
            print(f"result vm.data_dir_bytes {du}")
            print(f"result vm.bytes_per_sample {data / rows:.3f}")
            print(f"result vm.index_bytes_per_series {index / series:.1f}", flush=True)
            # Series per site: counted for a sample of the sites (a regex over all of them is slow).
            counts = []
            for i in range(0, sites, max(1, sites // 40)):
                r = query_long(vm, f'count({{site="site-{i:05d}"}})')
                counts.append(float(r[0]["value"][1]) if r else 0.0)
            counts.sort()
            print(f"result vm.series_per_site_sampled {len(counts)} sites")
            print(f"result vm.series_per_site_mean {sum(counts) / len(counts):.1f}")
            print(f"result vm.series_per_site_min {counts[0]:.0f}")
            print(f"result vm.series_per_site_max {counts[-1]:.0f}")
            print(f"result vm.series_without_site_approx {series - sites * sum(counts) / len(counts):.0f}")
            spd = 86400 / 15
            print(f"result vm.bytes_per_series_per_day {spd * data / rows + 0:.0f}  (5,760 samples at 15 s)")
            print(f"result vm.bytes_per_site_per_day {spd * data / rows * series / sites:.0f}")
            print(f"result vm.samples_per_second {series / 15:.0f}")
            print(f"result vm.cpu_seconds_per_million_samples {cpu / (elapsed * series / 15) * 1e6:.2f}")
            print(f"result vm.rss_bytes {rss}")
            print(f"result vm.rss_bytes_per_series {rss / series:.0f}")
            return 0
        finally:
            procs.stop_all()


if __name__ == "__main__":
    # `timeout` sends TERM: unwind, so that every process started here is stopped by its pid.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    if sys.argv[1:2] == ["--measure"]:
        sys.exit(measure(int(sys.argv[2]), int(sys.argv[3])))
    sys.exit(main())
