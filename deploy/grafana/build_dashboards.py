#!/usr/bin/env python3
"""Writes the linkprobe Grafana dashboards (dashboards/*.json) from this one description.

Why a generator: two dashboards share dozens of panel shapes, the same datasource variable and the
same site filter; spelling each out in JSON by hand is how a typo in one panel goes unnoticed.
The JSON files are committed (Grafana provisions them as they are); `--check` fails when they
differ from what this script would write, so an edit made here and not regenerated (or made in
the JSON and not here) is caught by deploy/test.sh.

    python3 deploy/grafana/build_dashboards.py          # rewrite dashboards/*.json
    python3 deploy/grafana/build_dashboards.py --check  # exit 1 if they are stale
"""
import json
import pathlib
import sys

from panels import Layout, datasource_var, query_var, row, stat, table, timeseries, bargauge, heatmap

OUT = pathlib.Path(__file__).resolve().parent / "dashboards"
SCHEMA_VERSION = 39

# Restricts a per-site vector to the sites picked by $region / $link (value x 1), or copies
# region and link onto it for tables.
FILTER = 'on (site) group_left () site:linkprobe_site_info:labels{region=~"$region", link=~"$link"}'
WITH_LABELS = 'on (site) group_left (region, link) site:linkprobe_site_info:labels{region=~"$region", link=~"$link"}'
SITE_LINK = "/d/linkprobe-site/linkprobe-site?${datasource:queryparam}&var-site=${__value.raw}"



LATEST = "site_collector:linkprobe_agent_last_push_timestamp_seconds:latest"


def latest(series, keys):
    """A gauge of one site from the collector that has the site's latest push, else from any
    collector that still has it (several collectors: see the recording rules), grouped by keys."""
    return f"max by ({keys}) (({series} and on (site, collector) {LATEST}) or on ({keys}) {series})"

def dashboard(uid, title, description, variables, panels, links, annotations=()):
    return {
        "uid": uid,
        "title": title,
        "description": description,
        "tags": ["linkprobe"],
        "editable": True,
        "graphTooltip": 1,
        "timezone": "browser",
        "schemaVersion": SCHEMA_VERSION,
        "version": 1,
        "refresh": "1m",
        "time": {"from": "now-24h", "to": "now"},
        "fiscalYearStartMonth": 0,
        "liveNow": False,
        "weekStart": "",
        "templating": {"list": variables},
        "annotations": {"list": [{
            "builtIn": 1,
            "datasource": {"type": "grafana", "uid": "-- Grafana --"},
            "enable": True,
            "hide": True,
            "iconColor": "rgba(0, 211, 255, 1)",
            "name": "Annotations & Alerts",
            "type": "dashboard",
        }] + list(annotations)},
        "links": links,
        "panels": panels,
    }


def region_link_vars():
    return [
        query_var("region", "Region", "label_values(linkprobe_site_info, region)", multi=True),
        query_var("link", "Link", 'label_values(linkprobe_site_info{region=~"$region"}, link)', multi=True),
    ]


def ratio(direction):
    return (f'(site_target_direction:linkprobe_throughput_bytes_per_second:contract_ratio{{direction="{direction}"}}'
            f' * {FILTER})')


def overview():
    lay = Layout()
    health = 'site:linkprobe_health:state{region=~"$region", link=~"$link"}'
    lay.add(row("Fleet health"))
    lay.add(stat("Sites OK", f"count({health} == 0) or vector(0)", color="green", w=4, h=4,
                 description="Sites within every warning threshold (loss, RTT p90, jitter, bufferbloat, throughput vs contract)."))
    lay.add(stat("Sites degraded", f"count({health} == 1) or vector(0)", color="orange", w=4, h=4,
                 description="Sites over at least one warning threshold right now (alerts fire only after their `for:`)."))
    lay.add(stat("Sites down (silent > 15 min)", f"count({health} == 2) or vector(0)", color="red", w=4, h=4,
                 description="No push for more than 15 minutes: link, gateway or agent down."))
    lay.add(stat("Sites monitored", f"count({health}) or vector(0)", color="blue", w=4, h=4))
    lay.add(stat("Sites getting >= 80 % of contract (down)",
                 f"count({ratio('down')} >= 0.8) / count({ratio('down')})",
                 unit="percentunit", color="thresholds", w=4, h=4,
                 thresholds=[("red", None), ("orange", 0.8), ("green", 0.95)],
                 description="Share of sites whose last download test reached at least 80 % of the contracted rate."))
    lay.add(stat("Sites getting >= 80 % of contract (up)",
                 f"count({ratio('up')} >= 0.8) / count({ratio('up')})",
                 unit="percentunit", color="thresholds", w=4, h=4,
                 thresholds=[("red", None), ("orange", 0.8), ("green", 0.95)]))
    lay.add(timeseries("Sites by health", [
        (f"count({health} == 0) or vector(0)", "ok"),
        (f"count({health} == 1) or vector(0)", "degraded"),
        (f"count({health} == 2) or vector(0)", "down"),
    ], unit="short", stack=True, w=12, h=8,
        colors={"ok": "green", "degraded": "orange", "down": "red"}))
    lay.add(table("Sites needing attention", [
        (f"{health} > 0", "state"),
    ], w=12, h=8, site_link=SITE_LINK, sort="state",
        mappings={"state": {"0": ("ok", "green"), "1": ("degraded", "orange"), "2": ("down", "red")}},
        description="Degraded or down now, worst first. Click a site for its dashboard."))

    lay.add(row("Worst sites"))
    lay.add(table("Worst packet loss (5 min, per direction)", [
        ("topk(20, max by (site, region, link, direction) (site_target_direction:linkprobe_packets_lost:ratio_rate5m * "
         + WITH_LABELS + "))", "loss"),
    ], unit="percentunit", w=12, h=9, site_link=SITE_LINK, sort="loss",
        thresholds={"loss": [("green", None), ("orange", 0.01), ("red", 0.05)]}))
    lay.add(table("Worst RTT p90 (5 min)", [
        ("topk(20, max by (site, region, link) (site_target:linkprobe_rtt_seconds:p90_rate5m * " + WITH_LABELS + "))", "rtt p90"),
    ], unit="s", w=12, h=9, site_link=SITE_LINK, sort="rtt p90",
        thresholds={"rtt p90": [("green", None), ("orange", 0.1), ("red", 0.3)]}))
    lay.add(table("Worst bufferbloat (last test, per direction)", [
        ("topk(20, max by (site, region, link, direction) (site_target_direction:linkprobe_bufferbloat_seconds:latest * " + WITH_LABELS + "))", "bufferbloat"),
    ], unit="s", w=12, h=9, site_link=SITE_LINK, sort="bufferbloat",
        thresholds={"bufferbloat": [("green", None), ("orange", 0.06), ("red", 0.1)]},
        description="RTT increase while the link is loaded by a throughput test (RFC 6349 buffer delay)."))
    lay.add(table("Worst jitter (10 min mean)", [
        ("topk(20, max by (site, region, link) (site_target:linkprobe_jitter_seconds:avg10m * " + WITH_LABELS + "))", "jitter"),
    ], unit="s", w=12, h=9, site_link=SITE_LINK, sort="jitter",
        thresholds={"jitter": [("green", None), ("orange", 0.03)]}))

    lay.add(row("Throughput vs contract"))
    lay.add(bargauge("Lowest throughput / contract (last test)", [
        ("bottomk(25, site_target_direction:linkprobe_throughput_bytes_per_second:contract_ratio * " + FILTER + ")",
         "{{site}} {{direction}}"),
    ], unit="percentunit", w=12, h=12, max_value=1.2,
        thresholds=[("red", None), ("orange", 0.5), ("green", 0.8)]))
    lay.add(table("Full-fibre sites: best test of the last 24 h / contract", [
        ("bottomk(25, max by (site, region, link, direction) (max_over_time(site_target_direction:linkprobe_throughput_bytes_per_second:contract_ratio[1d])"
         ' * on (site) group_left (region, link) site:linkprobe_site_info:labels{region=~"$region", link=~"$link", link=~"(?i)fttp|ftth|fibre|fiber"}))',
         "best / contract"),
    ], unit="percentunit", w=12, h=12, site_link=SITE_LINK, sort="best / contract", ascending=True,
        thresholds={"best / contract": [("red", None), ("orange", 0.7), ("green", 0.9)]},
        description="Did the fibre upgrade deliver? The best of the day's tests (night ones included) against the contract. Under 70 % raises LinkprobeFibreUnderDelivering."))

    lay.add(row("Upgrades: did they deliver?"))
    verdict = "linkprobe_upgrade_verdict * " + FILTER
    lay.add(stat("Upgrades delivered", f"count({verdict} == 1) or vector(0)", color="green", w=6, h=4,
                 description="Sites whose latest cut-over delivered: median down and up >= 90 % of the new contract, RTT p95, loss and bufferbloat not worse (28 days before vs 28 days after, 3 days settling)."))
    lay.add(stat("Upgrades partly delivered", f"count({verdict} == 2) or vector(0)", color="orange", w=6, h=4))
    lay.add(stat("Upgrades not delivered", f"count({verdict} == 3) or vector(0)", color="red", w=6, h=4,
                 description="Median down or up under 60 % of the new contract after the cut-over."))
    lay.add(stat("Upgrades pending or short of data", f"count({verdict} <= 0) or vector(0)", color="blue", w=6, h=4,
                 description="After window not over yet (pending), or too few tests or latency windows to judge."))
    lay.add(table("Upgrade verdicts, worst first", [
        ("linkprobe_upgrade_verdict * " + WITH_LABELS, "verdict"),
    ], w=24, h=8, site_link=SITE_LINK, sort="verdict",
        mappings={"verdict": {"-1": ("pending", "blue"), "0": ("insufficient data", "blue"), "1": ("delivered", "green"),
                              "2": ("partly delivered", "orange"), "3": ("not delivered", "red")}},
        description="The collector's before/after verdict per upgraded site (GET /api/v1/upgrades has the figures behind it)."))

    lay.add(row("Video readiness (scheduled tests, every ~4 h)"))
    verdict = 'min by (site) (site_target:linkprobe_video_verdict:latest * on (site) group_left () site:linkprobe_site_info:labels{region=~"$region", link=~"$link"})'
    lay.add(stat("Sites video-ready", f"count({verdict} == 2) or vector(0)", color="green", w=4, h=4,
                 description="The last video test judged one call ready: loss < 1 %, jitter < 30 ms, one-way delay <= 150 ms, NHS Near Me's rates, and RTT and MOS targets met."))
    lay.add(stat("Sites marginal for video", f"count({verdict} == 1) or vector(0)", color="orange", w=4, h=4,
                 description="Every limit met, but the RTT p95 >= 100 ms (Teams' target) or MOS < 4.0."))
    lay.add(stat("Sites not video-ready", f"count({verdict} == 0) or vector(0)", color="red", w=4, h=4,
                 description="One call fails a limit (loss, jitter, delay, rate or MOS < 3.6). Two tests in a row raise LinkprobeSiteNotVideoReady."))
    lay.add(table("Fewest concurrent video calls (last test)", [
        ("bottomk(25, min by (site, region, link) (site_target:linkprobe_video_calls:latest * " + WITH_LABELS + "))", "calls"),
        ("min by (site, region, link) (site_target:linkprobe_video_verdict:latest * " + WITH_LABELS + ")", "verdict"),
    ], w=12, h=8, site_link=SITE_LINK, sort="calls", ascending=True,
        mappings={"verdict": {"0": ("not ready", "red"), "1": ("marginal", "orange"), "2": ("ready", "green")}},
        description="Concurrent calls of 1.2 Mbit/s each way the link carried (ladder 1, 2, 3, 4, 6, 8), and one call's verdict."))

    lay.add(row("Silent agents"))
    lay.add(table("Silent for more than 15 minutes", [
        ("(time() - site:linkprobe_agent_last_push_timestamp_seconds:max1d > 900) * " + WITH_LABELS, "silent for"),
    ], unit="s", w=24, h=8, site_link=SITE_LINK, sort="silent for",
        description="Sites whose agent has not pushed for 15 minutes, up to a day after the collector expired their series."))

    lay.add(row("Collectors"))
    lay.add(stat("Collectors up", 'sum(up{job="linkprobe-collector"})', color="thresholds", w=4, h=8,
                 thresholds=[("red", None), ("green", 1)]))
    lay.add(timeseries("Ingested / duplicate results", [
        ('sum by (instance) (rate(linkprobe_collector_ingested_total[$__rate_interval]))', "ingested {{instance}}"),
        ('sum by (instance) (rate(linkprobe_collector_duplicates_total[$__rate_interval]))', "duplicates {{instance}}"),
    ], unit="reqps", w=10, h=8))
    lay.add(timeseries("Rejected pushes by reason", [
        ('sum by (instance, reason) (rate(linkprobe_collector_rejected_total[$__rate_interval]))', "{{reason}} {{instance}}"),
    ], unit="reqps", w=10, h=8))
    lay.add(timeseries("Archive write time", [
        ('sum by (instance) (rate(linkprobe_collector_archive_write_seconds_sum[$__rate_interval]))'
         ' / sum by (instance) (rate(linkprobe_collector_archive_write_seconds_count[$__rate_interval]))', "mean {{instance}}"),
        ('histogram_quantile(0.99, sum by (instance, le) (rate(linkprobe_collector_archive_write_seconds_bucket[$__rate_interval])))',
         "p99 {{instance}}"),
    ], unit="s", w=8, h=8))
    # linkprobe_sample_delay_seconds is the collector's own histogram (no site label: a series per
    # site and bucket would be most of /metrics), so this panel is per collector, not filtered by site.
    lay.add(timeseries("Sample delay, measurement -> ingest (p50 / p99)", [
        ('histogram_quantile(0.5, sum by (instance, le) (rate(linkprobe_sample_delay_seconds_bucket[$__rate_interval])))', "p50 {{instance}}"),
        ('histogram_quantile(0.99, sum by (instance, le) (rate(linkprobe_sample_delay_seconds_bucket[$__rate_interval])))', "p99 {{instance}}"),
    ], unit="s", w=8, h=8, description="Per collector, all sites. A 60 s window is ~60 s old when pushed; a rising p99 means agents replaying their spools."))
    lay.add(timeseries("Collector JVM heap used", [
        ('sum by (instance) (jvm_memory_used_bytes{job="linkprobe-collector", area="heap"})', "{{instance}}"),
    ], unit="bytes", w=8, h=8))

    return dashboard(
        "linkprobe-overview", "linkprobe / Fleet overview",
        "All sites: health, the worst links, throughput against contract, silent agents, collectors.",
        [datasource_var()] + region_link_vars(),
        lay.panels,
        [{"title": "Site detail", "type": "link", "url": "/d/linkprobe-site/linkprobe-site?${datasource:queryparam}",
          "icon": "dashboard", "targetBlank": False, "asDropdown": False, "includeVars": False, "keepTime": True,
          "tags": [], "tooltip": ""}],
    )


def site():
    s = 'site="$site"'
    st = 'site="$site", target=~"$target"'
    lay = Layout()
    lay.add(row("Now"))
    lay.add(stat("Health", f"site:linkprobe_health:state{{{s}}}", w=4, h=4, color="thresholds",
                 thresholds=[("green", None), ("orange", 1), ("red", 2)],
                 mappings={"0": "ok", "1": "degraded", "2": "down"}))
    lay.add(stat("Last push", f"time() - site:linkprobe_agent_last_push_timestamp_seconds:max1d{{{s}}}", unit="s",
                 w=4, h=4, color="thresholds", thresholds=[("green", None), ("orange", 180), ("red", 900)]))
    lay.add(stat("Last throughput test", f"time() - max(linkprobe_throughput_last_test_timestamp_seconds{{{s}}})",
                 unit="s", w=4, h=4, color="thresholds", thresholds=[("green", None), ("orange", 6 * 3600), ("red", 24 * 3600)],
                 description="Since the end of the latest successful throughput test (the one the throughput panels show)."))
    lay.add(stat("Contract down", latest(f'linkprobe_expected_throughput_bytes_per_second{{{s}, direction="down"}}', "site, direction") + " * 8",
                 unit="bps", w=4, h=4, color="blue"))
    lay.add(stat("Contract up", latest(f'linkprobe_expected_throughput_bytes_per_second{{{s}, direction="up"}}', "site, direction") + " * 8",
                 unit="bps", w=4, h=4, color="blue"))
    lay.add(table("Site", [(f"max by (site, region, link, agent_version) (last_over_time(linkprobe_site_info{{{s}}}[1d]))", "info")],
                  w=4, h=4, hide=["info"]))

    lay.add(row("Latency"))
    rtt = f"rate(linkprobe_rtt_seconds_bucket{{{st}}}[$__rate_interval])"
    lay.add(timeseries("RTT p50 / p90 / p99", [
        (f"histogram_quantile(0.5, sum by (target, le) ({rtt}))", "p50 {{target}}"),
        (f"histogram_quantile(0.9, sum by (target, le) ({rtt}))", "p90 {{target}}"),
        (f"histogram_quantile(0.99, sum by (target, le) ({rtt}))", "p99 {{target}}"),
        (latest(f"linkprobe_rtt_min_seconds{{{st}}}", "site, target"), "min {{target}}"),
    ], unit="s", w=12, h=9, min_interval="1m",
        description="From the histogram of every probe's RTT. Pushes arrive once a minute, so rates use at least a minute."))
    lay.add(heatmap("RTT distribution", f"sum by (le) (increase(linkprobe_rtt_seconds_bucket{{{st}}}[$__rate_interval]))",
                    w=12, h=9, min_interval="1m"))
    lay.add(timeseries("Jitter (RFC 3550, per 60 s window)", [
        (latest(f"linkprobe_jitter_seconds{{{st}}}", "site, target"), "{{target}}"),
    ], unit="s", w=12, h=8, threshold_line=0.03))
    lay.add(timeseries("Packet loss per direction", [
        (f"sum by (target, direction) (rate(linkprobe_packets_lost_total{{{st}}}[$__rate_interval]))"
         f" / on (target) group_left () sum by (target) (rate(linkprobe_packets_sent_total{{{st}}}[$__rate_interval]))",
         "{{direction}} {{target}}"),
    ], unit="percentunit", w=12, h=8, min_interval="1m", threshold_line=0.01,
        description="up = site -> hub (forward), down = hub -> site (backward), from the reflector's sequence numbers."))
    lay.add(timeseries("Duplicated / reordered probes", [
        (f"sum by (target) (rate(linkprobe_packets_duplicated_total{{{st}}}[$__rate_interval]))"
         f" / sum by (target) (rate(linkprobe_packets_sent_total{{{st}}}[$__rate_interval]))", "duplicated {{target}}"),
        (f"sum by (target) (rate(linkprobe_packets_reordered_total{{{st}}}[$__rate_interval]))"
         f" / sum by (target) (rate(linkprobe_packets_sent_total{{{st}}}[$__rate_interval]))", "reordered {{target}}"),
    ], unit="percentunit", w=12, h=8, min_interval="1m"))
    lay.add(timeseries("TCP connect time p50 / p90", [
        (f"histogram_quantile(0.5, sum by (target, le) (rate(linkprobe_tcp_connect_seconds_bucket{{{st}}}[$__rate_interval])))", "p50 {{target}}"),
        (f"histogram_quantile(0.9, sum by (target, le) (rate(linkprobe_tcp_connect_seconds_bucket{{{st}}}[$__rate_interval])))", "p90 {{target}}"),
    ], unit="s", w=12, h=8, min_interval="1m", description="The fallback probe where UDP is blocked: one TCP handshake is one RTT."))

    lay.add(row("Throughput (scheduled tests, every ~4 h)"))
    lay.add(timeseries("Throughput vs contract", [
        (latest(f"linkprobe_throughput_bytes_per_second{{{st}}}", "site, target, direction") + " * 8", "{{direction}} {{target}}"),
        (latest(f"linkprobe_expected_throughput_bytes_per_second{{{s}}}", "site, direction") + " * 8", "contract {{direction}}"),
    ], unit="bps", w=12, h=9, steps=True, dashed_regex="^contract .*",
        description="Steady goodput of the last test (warm-up excluded), against the contracted rate."))
    lay.add(timeseries("Throughput / contract", [
        (f"site_target_direction:linkprobe_throughput_bytes_per_second:contract_ratio{{{st}}}", "{{direction}} {{target}}"),
    ], unit="percentunit", w=12, h=9, steps=True, threshold_line=0.5))
    lay.add(timeseries("Loaded RTT (p50 while the link is saturated)", [
        (latest(f"linkprobe_loaded_rtt_seconds{{{st}}}", "site, target, direction"), "{{direction}} {{target}}"),
    ], unit="s", w=12, h=8, steps=True))
    lay.add(timeseries("Bufferbloat (loaded - idle RTT)", [
        (latest(f"linkprobe_bufferbloat_seconds{{{st}}}", "site, target, direction"), "{{direction}} {{target}}"),
    ], unit="s", w=12, h=8, steps=True, threshold_line=0.1,
        description="A: < 30 ms, B: < 60 ms, C: < 200 ms, D: < 400 ms, F: beyond. Over 100 ms, calls stall whenever the link is busy."))
    lay.add(timeseries("TCP retransmits per hour", [
        (f"sum by (direction) (increase(linkprobe_tcp_retransmits_total{{{st}}}[1h]))", "{{direction}}"),
    ], unit="short", w=8, h=8, bars=True, min_interval="1h"))
    lay.add(timeseries("Throughput tests per hour by result", [
        (f"sum by (direction, result) (increase(linkprobe_throughput_tests_total{{{st}}}[1h]))", "{{direction}} {{result}}"),
    ], unit="short", w=8, h=8, bars=True, min_interval="1h"))
    lay.add(timeseries("Probe traffic per day", [
        (f"sum by (direction) (increase(linkprobe_probe_bytes_total{{{st}}}[1d]))", "{{direction}}"),
    ], unit="bytes", w=8, h=8, description="Against the agent's max_bytes_per_day budget (metered links)."))

    lay.add(row("Video readiness (scheduled tests, every ~4 h)"))
    lay.add(stat("Video verdict (one call)", "min(" + latest(f"linkprobe_video_verdict{{{st}}}", "site, target") + ")", w=4, h=4, color="thresholds",
                 thresholds=[("red", None), ("orange", 1), ("green", 2)],
                 mappings={"0": "not ready", "1": "marginal", "2": "ready"},
                 description="Ready: loss < 1 %, jitter < 30 ms, one-way delay <= 150 ms, NHS Near Me's rates, RTT p95 < 100 ms, MOS >= 4.0. Marginal: a target missed. Not ready: a limit failed."))
    lay.add(stat("Concurrent video calls", "min(" + latest(f"linkprobe_video_calls{{{st}}}", "site, target") + ")", w=4, h=4, color="blue",
                 description="The largest step of the ladder (1, 2, 3, 4, 6, 8 calls) the link carried."))
    lay.add(stat("Call MOS (G.107)", "min(" + latest(f"linkprobe_video_mos{{{st}}}", "site, target") + ")", w=4, h=4, color="thresholds",
                 thresholds=[("red", None), ("orange", 3.6), ("green", 4.0)]))
    lay.add(timeseries("Concurrent video calls carried", [
        (latest(f"linkprobe_video_calls{{{st}}}", "site, target"), "calls {{target}}"),
        (latest(f"linkprobe_video_verdict{{{st}}}", "site, target"), "verdict {{target}}"),
    ], unit="short", w=12, h=8, steps=True, description="Verdict: 2 ready, 1 marginal, 0 not ready."))
    lay.add(timeseries("Video call loss per direction", [
        (latest(f"linkprobe_video_loss_ratio{{{st}}}", "site, target, direction"), "{{direction}} {{target}}"),
    ], unit="percentunit", w=12, h=8, steps=True, threshold_line=0.01))
    lay.add(timeseries("Video call jitter per direction (RFC 3550, one-way)", [
        (latest(f"linkprobe_video_jitter_seconds{{{st}}}", "site, target, direction"), "{{direction}} {{target}}"),
    ], unit="s", w=12, h=8, steps=True, threshold_line=0.03))
    lay.add(timeseries("Video test traffic per day", [
        (f"sum(increase(linkprobe_video_probe_bytes_total{{{st}}}[1d]))", "bytes"),
    ], unit="bytes", w=12, h=8, description="Against video.max_bytes_per_day."))

    lay.add(row("Agent"))
    lay.add(timeseries("Seconds since last push", [
        (f"time() - site:linkprobe_agent_last_push_timestamp_seconds:max1d{{{s}}}", "{{site}}"),
    ], unit="s", w=8, h=7, threshold_line=900))
    lay.add(timeseries("Targets answering (1 = yes)", [
        (latest(f"linkprobe_probe_success{{{st}}}", "site, probe, target"), "{{probe}} {{target}}"),
    ], unit="short", w=8, h=7, steps=True,
        description="Did the target answer the latest STAMP window / TCP connect? 0 = no reply at all (the target or the path is down), which is not the same as packet loss."))
    lay.add(timeseries("Spooled results dropped per hour", [
        (f"sum by (site) (increase(linkprobe_agent_spool_dropped_total{{{s}}}[1h]))", "dropped"),
    ], unit="short", w=8, h=7))

    variables = [datasource_var()] + region_link_vars() + [
        query_var("site", "Site", 'label_values(linkprobe_site_info{region=~"$region", link=~"$link"}, site)', multi=False),
        query_var("target", "Target", 'label_values(linkprobe_packets_sent_total{site="$site"}, target)', multi=True),
    ]
    alerts = {
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
        "enable": True,
        "hide": False,
        "iconColor": "red",
        "name": "Firing alerts",
        "expr": 'ALERTS{alertstate="firing", site="$site"}',
        "step": "1m",
        "titleFormat": "{{alertname}}",
        "textFormat": "{{severity}} {{direction}} {{target}}",
        "useValueForTime": False,
    }
    return dashboard(
        "linkprobe-site", "linkprobe / Site",
        "One site: latency, loss, jitter, throughput against contract, bufferbloat, TCP connect time, agent health.",
        variables, lay.panels,
        [{"title": "Fleet overview", "type": "link", "url": "/d/linkprobe-overview/linkprobe-overview?${datasource:queryparam}",
          "icon": "dashboard", "targetBlank": False, "asDropdown": False, "includeVars": False, "keepTime": True,
          "tags": [], "tooltip": ""}],
        annotations=[alerts],
    )


def main(argv):
    check = "--check" in argv
    stale = []
    for name, board in (("linkprobe-overview.json", overview()), ("linkprobe-site.json", site())):
        text = json.dumps(board, indent=2, sort_keys=False) + "\n"
        path = OUT / name
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(str(path))
        else:
            path.write_text(text)
            print(f"wrote {path}")
    if stale:
        print("stale (run deploy/grafana/build_dashboards.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
