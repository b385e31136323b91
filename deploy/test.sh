#!/usr/bin/env bash
# Checks everything in deploy/: Prometheus config, rules and their unit tests, Grafana dashboards
# (static checks, and every panel and rule expression against a Prometheus scraping a real
# collector fed by a real agent: the demo jar), metric names against the README's metrics table,
# YAML files, the compose file, the systemd units, the runbooks, the example Alertmanager config and
# the example configs, and the same rules under vmalert (-dryRun) and scrape configs under vmagent
# (-dryRun) for deploy/multi-region. Exits non-zero if any check fails. Needs: the built jars
# (`mvn -q -DskipTests package`), promtool + prometheus (Debian package `prometheus`), python3 with
# PyYAML, vmalert + vmagent (Debian package `victoria-metrics`). Optional: amtool (Debian
# `prometheus-alertmanager`), docker compose, systemd-analyze.
#
#   deploy/test.sh
set -uo pipefail
export PYTHONDONTWRITEBYTECODE=1   # no __pycache__ inside the repository
cd "$(dirname "$0")"

# --- The metric contract (README.md "Metrics"). A name used in a rule, test or dashboard that is
# --- not here is a typo or a contract change: fail either way.
METRICS=(
  linkprobe_rtt_seconds
  linkprobe_jitter_seconds linkprobe_rtt_min_seconds
  linkprobe_packets_sent_total linkprobe_packets_lost_total linkprobe_packets_duplicated_total
  linkprobe_packets_reordered_total
  linkprobe_throughput_bytes_per_second
  linkprobe_loaded_rtt_seconds linkprobe_bufferbloat_seconds
  linkprobe_throughput_tests_total linkprobe_probe_bytes_total linkprobe_tcp_retransmits_total
  linkprobe_tcp_connect_seconds
  linkprobe_expected_throughput_bytes_per_second
  linkprobe_site_info linkprobe_build_info linkprobe_agent_build_info
  linkprobe_probe_success linkprobe_throughput_last_test_timestamp_seconds
  linkprobe_agent_last_push_timestamp_seconds linkprobe_sample_delay_seconds
  linkprobe_agent_spool_dropped_total linkprobe_agent_spool_recovered_total
  linkprobe_agent_implausible_dropped_total
  linkprobe_upgrade_verdict
  linkprobe_collector_ingested_total linkprobe_collector_duplicates_total
  linkprobe_collector_rejected_total linkprobe_collector_archive_write_seconds
  linkprobe_collector_tokens linkprobe_collector_tokens_reload_failures_total
  linkprobe_collector_archive_writable linkprobe_collector_archive_last_recovery_timestamp_seconds
  linkprobe_collector_config_last_reload_successful linkprobe_collector_config_last_reload_success_timestamp_seconds
  linkprobe_collector_test_demand_ratio linkprobe_collector_test_stretch_ratio
  linkprobe_video_calls linkprobe_video_mos linkprobe_video_loss_ratio linkprobe_video_jitter_seconds
  linkprobe_video_verdict linkprobe_video_tests_total linkprobe_video_probe_bytes_total
)
# Histograms: _bucket, _count, _sum (the collector drops Micrometer's _max gauges).
HISTOGRAMS=(linkprobe_rtt_seconds linkprobe_tcp_connect_seconds linkprobe_sample_delay_seconds
            linkprobe_collector_archive_write_seconds)
# Micrometer's JVM binders used by the dashboards.
OTHER_METRICS=(jvm_memory_used_bytes)

passed=0 failed=0 skipped=0
pass() { echo "PASS  $1"; passed=$((passed + 1)); }
fail() { echo "FAIL  $1"; failed=$((failed + 1)); }
skip() { echo "SKIP  $1"; skipped=$((skipped + 1)); }
# check NAME COMMAND...: runs the command, shows its output only when it fails.
check() {
  local name=$1 out
  shift
  if out=$("$@" 2>&1); then pass "$name"; else fail "$name"; echo "$out" | sed 's/^/      /'; fi
}

for tool in promtool prometheus python3; do
  command -v "$tool" >/dev/null || { echo "FAIL  $tool not found (apt-get install prometheus python3)"; exit 1; }
done
python3 -c 'import yaml' 2>/dev/null || { echo "FAIL  python3 has no PyYAML (apt-get install python3-yaml)"; exit 1; }
echo "using $(promtool --version 2>&1 | sed -n 1p)"

# --- Prometheus --------------------------------------------------------------------------------
check "promtool check config prometheus/prometheus.yml" promtool check config prometheus/prometheus.yml
check "promtool check rules prometheus/rules/*.yml" promtool check rules prometheus/rules/*.yml
check "promtool test rules prometheus/tests/*.yml" promtool test rules prometheus/tests/*.yml
python3 - prometheus/tests/*.yml <<'EOF'
import sys, yaml
cases = alerts = exprs = 0
for f in sys.argv[1:]:
    for t in yaml.safe_load(open(f))["tests"]:
        cases += 1
        alerts += len(t.get("alert_rule_test", []))
        exprs += len(t.get("promql_expr_test", []))
print(f"      {len(sys.argv) - 1} test files, {cases} test cases, {alerts} alert assertions, {exprs} expression assertions")
EOF

# --- VictoriaMetrics (deploy/multi-region): the same rules under vmalert's MetricsQL parser -------
if command -v vmalert >/dev/null && command -v vmagent >/dev/null; then
  echo "using vmalert $(dpkg-query -W -f='${Version}' victoria-metrics 2>/dev/null || echo '(version unknown)')"
  check "vmalert -dryRun loads prometheus/rules/*.yml" \
    vmalert -dryRun -loggerLevel=ERROR $(printf -- '-rule=%s ' prometheus/rules/*.yml)
  vmagent_configs() {
    local f bad=0
    for f in multi-region/vmagent/*.yml; do
      vmagent -dryRun -loggerLevel=ERROR -promscrape.config="$f" || { echo "$f"; bad=1; }
    done
    return $bad
  }
  check "vmagent -dryRun accepts multi-region/vmagent/*.yml" vmagent_configs
else
  skip "vmalert/vmagent checks (apt-get install victoria-metrics)"
fi

covered() {
  local missing=0 name
  for name in $(grep -hoE '^\s*- (record|alert): *[^ ]+' prometheus/rules/*.yml | awk '{print $3}' | sort -u); do
    if ! grep -qwF -- "$name" prometheus/tests/*.yml; then
      echo "$name has no test in prometheus/tests/"; missing=1
    fi
  done
  return $missing
}
check "every recording rule and alert has a promtool test" covered

# Every alert links its runbook section, and every section says what it means, how to confirm it
# and what to do.
runbooks() {
  python3 - prometheus/rules/*.yml <<'PY'
import re, sys, yaml
text = open("runbooks.md").read()
sections = {}
for m in re.finditer(r"^## (\S+)\n(.*?)(?=^## |\Z)", text, re.S | re.M):
    sections[m.group(1).lower()] = m.group(2)
bad = 0
prefix = "file:///usr/share/doc/linkprobe/deploy/runbooks.md#"
for f in sys.argv[1:]:
    for g in yaml.safe_load(open(f))["groups"]:
        for r in g["rules"]:
            if "alert" not in r:
                continue
            url = r.get("annotations", {}).get("runbook_url", "")
            anchor = r["alert"].lower()
            if url != prefix + anchor:
                print(f"{f}: {r['alert']} has runbook_url {url!r}, want {prefix + anchor!r}"); bad = 1
            body = sections.get(anchor)
            if body is None:
                print(f"runbooks.md has no section '## {r['alert']}'"); bad = 1
            elif not all(part in body for part in ("**Meaning.**", "**Confirm.**", "**Action.**")):
                print(f"runbooks.md: {r['alert']} lacks Meaning, Confirm or Action"); bad = 1
sys.exit(bad)
PY
}
check "every alert has a runbook_url to its runbooks.md section (meaning, confirm, action)" runbooks

if command -v amtool >/dev/null; then
  check "amtool check-config alertmanager/alertmanager.yml" amtool check-config alertmanager/alertmanager.yml
else
  skip "amtool check-config (no amtool: apt-get install prometheus-alertmanager)"
fi

# --- Grafana -----------------------------------------------------------------------------------
valid_json() {
  local f bad=0
  for f in grafana/dashboards/*.json; do python3 -m json.tool "$f" >/dev/null || { echo "$f"; bad=1; }; done
  return $bad
}
check "dashboards are valid JSON" valid_json
check "dashboards match grafana/build_dashboards.py" python3 grafana/build_dashboards.py --check
check "dashboards: grid, ids, datasource variable, variables, PromQL syntax" \
  python3 grafana/check_dashboards.py grafana/dashboards/*.json
if [[ -f ../demo/target/linkprobe-demo.jar ]]; then
  check "every panel and rule expression returns data from Prometheus scraping the demo's real collector" \
    python3 grafana/check_queries_live.py grafana/dashboards/*.json
else
  fail "live check of panels and rules: ../demo/target/linkprobe-demo.jar is not built (mvn -q -DskipTests package)"
fi

# --- Metric names --------------------------------------------------------------------------------
metric_names() {
  local allowed=" ${METRICS[*]} ${OTHER_METRICS[*]} " h f name bad=0
  for h in "${HISTOGRAMS[@]}"; do allowed+="${h}_bucket ${h}_count ${h}_sum "; done
  local recorded
  recorded=" $(grep -hoE '^\s*- record: *[^ ]+' prometheus/rules/*.yml | awk '{print $3}' | tr '\n' ' ') "
  for f in prometheus/rules/*.yml prometheus/tests/*.yml grafana/dashboards/*.json grafana/*.py; do
    for name in $(grep -oE '[a-z_]+:linkprobe_[a-z0-9_]+:[a-z0-9_]+' "$f" | sort -u); do
      [[ $recorded == *" $name "* ]] || { echo "$f: $name is not a recording rule"; bad=1; }
    done
    for name in $(sed -E 's/[a-z_]+:linkprobe_[a-z0-9_]+:[a-z0-9_]+//g' "$f" | grep -oE 'linkprobe_[a-z0-9_]+' | sort -u); do
      [[ $allowed == *" $name "* ]] || { echo "$f: $name is not a metric of the README's table"; bad=1; }
    done
    for name in $(grep -oE '\b(jvm|process|system|netty)_[a-z0-9_]+' "$f" | sort -u); do
      [[ $allowed == *" $name "* ]] || { echo "$f: $name is not a known metric"; bad=1; }
    done
  done
  return $bad
}
check "metric names in rules, tests and dashboards are the README's" metric_names

# --- YAML, compose, systemd, example configs -------------------------------------------------------
yaml_parses() {
  python3 - $(find . -name '*.yml' -o -name '*.yaml') <<'EOF'
import sys, yaml
bad = 0
for f in sys.argv[1:]:
    try:
        yaml.safe_load(open(f))
    except yaml.YAMLError as e:
        print(f"{f}: {e}"); bad = 1
sys.exit(bad)
EOF
}
check "every YAML file parses" yaml_parses

compose_services() {
  python3 - <<'EOF'
import sys, yaml, os
c = yaml.safe_load(open("docker-compose.yml"))
want = {"collector", "agent", "prometheus", "grafana"}
missing = want - set(c["services"])
if missing: sys.exit(f"services missing: {missing}")
for name, s in c["services"].items():
    for v in s.get("volumes", []):
        src = v.split(":")[0]
        if src.startswith(".") and not os.path.exists(src): sys.exit(f"{name}: mounts missing {src}")
    b = s.get("build")
    if b and not os.path.exists(os.path.join(b["context"], b["dockerfile"])): sys.exit(f"{name}: no {b['dockerfile']}")
EOF
}
check "docker-compose.yml: services, mounted files and Dockerfiles exist" compose_services

multi_region_services() {
  python3 - <<'EOF2'
import sys, yaml, os
os.chdir("multi-region")
c = yaml.safe_load(open("docker-compose.yml"))
s = c["services"]
want = {"postgres", "victoria-metrics", "vmalert", "grafana"}
missing = want - set(s)
if missing: sys.exit(f"services missing: {missing}")
collectors = sorted(n for n in s if n.startswith("collector-"))
agents = sorted(n for n in s if n.startswith("vmagent-"))
if len(collectors) < 2: sys.exit("fewer than two collectors")
if [n.split("-")[1] for n in collectors] != [n.split("-")[1] for n in agents]:
    sys.exit(f"one vmagent per collector: {collectors} vs {agents}")
for name in agents:
    scrape = next(v.split(":")[0] for v in s[name]["volumes"] if "scrape.yml" in v)
    sc = yaml.safe_load(open(scrape))["scrape_configs"][0]["static_configs"][0]
    collector = name.replace("vmagent-", "collector-")
    if sc["targets"] != [collector + ":9862"] or sc["labels"].get("collector") != collector:
        sys.exit(f"{scrape}: must scrape {collector}:9862 with the label collector: {collector}")
for name, svc in s.items():
    for v in svc.get("volumes", []):
        src = v.split(":")[0]
        # collector/pgpass holds the PostgreSQL password: the operator creates it (not in git).
        if src.startswith(".") and not src.endswith("pgpass") and not os.path.exists(src):
            sys.exit(f"{name}: mounts missing {src}")
    b = svc.get("build")
    if b and not os.path.exists(os.path.join(b["context"], b["dockerfile"])): sys.exit(f"{name}: no {b['dockerfile']}")
EOF2
}
check "multi-region/docker-compose.yml: services, a vmagent labelling each collector, mounted files" multi_region_services
if docker compose version >/dev/null 2>&1; then
  check "docker compose config" docker compose -f docker-compose.yml config -q
elif command -v docker-compose >/dev/null; then
  check "docker-compose config" docker-compose -f docker-compose.yml config -q
else
  skip "docker compose config (no docker compose here; the file was only parsed)"
fi

# A unit's Documentation= must name something that exists once installed: each file:// path is
# one the package that ships the unit installs (the jdeb data sets of agent/pom.xml and
# collector/pom.xml); the alerts' runbook_url names a file the collector package installs.
# (package-test.sh checks the same on a real install.)
unit_docs() {
  python3 - <<'PY'
import glob, os, re, sys
import xml.etree.ElementTree as ET
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
ships = {}  # package pom -> set of installed paths
units = {}  # unit file name -> installed paths of its package
for pom in ("../agent/pom.xml", "../collector/pom.xml"):
    paths = set()
    for data in ET.parse(pom).getroot().iter("{%s}data" % ns["m"]):
        src = data.findtext("m:src", namespaces=ns)
        prefix = data.findtext("m:mapper/m:prefix", namespaces=ns)
        if not src or not prefix:
            continue
        paths.add(prefix.rstrip("/") + "/" + (data.findtext("m:dst", namespaces=ns) or os.path.basename(src)))
    ships[pom] = paths
    for p in paths:
        if p.endswith(".service"):
            units[os.path.basename(p)] = paths
bad = 0
for unit in sorted(glob.glob("systemd/*.service")):
    # a unit no package ships (vmagent, vmalert: installed by hand) may name any package's files
    installed = units.get(os.path.basename(unit), set().union(*ships.values()))
    for line in open(unit):
        if line.startswith("Documentation="):
            for url in line.split("=", 1)[1].split():
                if url.startswith("file://") and url[7:] not in installed:
                    print(f"{unit}: {url} is not installed by the package that ships the unit"); bad = 1
for url in sorted(set(re.findall(r'runbook_url: "file://([^"#]+)', open("prometheus/rules/linkprobe-alerts.yml").read()))):
    if url not in ships["../collector/pom.xml"]:
        print(f"runbook_url file://{url} is not installed by the collector package"); bad = 1
sys.exit(bad)
PY
}
check "the units' Documentation= and the alerts' runbook_url name files their package installs" unit_docs

# The project's design notes live outside the repository: nothing here may send a reader there.
no_missing_files() {
  local design="DESIGN" style="STYLE" shared="shared"
  ! grep -n "$design\.md\|$style\.md\|${shared}/" README.md test.sh ../README.md
}
check "README.md, ../README.md and test.sh name no design notes outside the repository" no_missing_files

# The units start /usr/bin/linkprobe-*, which only the packages install (package-test.sh verifies the
# installed units): here they are verified with ExecStart on this checkout's launchers.
units_verify() {
  local tmp u rc
  tmp=$(mktemp -d)
  for u in systemd/*.service; do
    sed "s#/usr/bin/linkprobe-#$PWD/bin/linkprobe-#g" "$u" > "$tmp/$(basename "$u")"
  done
  systemd-analyze verify "$tmp"/*.service; rc=$?
  rm -rf "$tmp"
  return $rc
}
if command -v systemd-analyze >/dev/null; then
  check "systemd-analyze verify systemd/*.service (ExecStart on bin/'s launchers)" units_verify
else
  skip "systemd-analyze verify (not installed)"
fi

# --- The launcher (bin/linkprobe, called as linkprobe-agent / linkprobe-collector) -----------------
launcher_names() {
  bin/linkprobe-agent --version | grep -qx 'linkprobe-agent .*' && bin/linkprobe-collector --version | grep -qx 'linkprobe-collector .*'
}
launcher_options() { # LINKPROBE_JAVA_OPTS reaches the JVM (an unknown option makes it refuse to start)
  local out
  out=$(LINKPROBE_JAVA_OPTS=-XX:+NoSuchOptionFromTheTest bin/linkprobe-agent --version 2>&1) && return 1
  echo "$out" | grep -q "NoSuchOptionFromTheTest"
}
launcher_old_java_home() { # a JAVA_HOME below 17 is skipped, with a warning, for a Java 17+ found further on
  local fake out rc
  fake=$(mktemp -d)
  mkdir -p "$fake/bin" && printf '#!/bin/sh\necho "java 11 must not be run" >&2\nexit 1\n' > "$fake/bin/java"
  chmod +x "$fake/bin/java" && echo 'JAVA_VERSION="11.0.2"' > "$fake/release"
  out=$(JAVA_HOME=$fake bin/linkprobe-agent --version 2>&1); rc=$?
  rm -rf "$fake"
  echo "$out"
  [ $rc = 0 ] && echo "$out" | grep -q "JAVA_HOME=$fake is not a Java 17 or newer.*Java 11" && echo "$out" | grep -qx 'linkprobe-agent .*'
}
launcher_no_java() { # no Java 17+ anywhere: exit 2 and a sentence naming the fix (hides /usr/lib/jvm in a mount namespace)
  local out rc
  out=$(env -u JAVA_HOME unshare -m sh -c 'mount -t tmpfs none /usr/lib/jvm && exec bin/linkprobe-agent --version' 2>&1); rc=$?
  echo "$out"
  [ $rc = 2 ] && echo "$out" | grep -q "no Java 17 or newer found (.*). Install one (Debian/Ubuntu: apt-get install openjdk-17-jre-headless) or set JAVA_HOME to it."
}
launcher_execs() { # the JVM replaces the shell: its pid is the launcher's, and SIGTERM stops it cleanly (143)
  local pid exe rc
  bin/linkprobe-agent responder --bind 127.0.0.1 --stamp-port 0 --throughput-port -1 >/dev/null 2>&1 &
  pid=$!
  sleep 3
  exe=$(readlink "/proc/$pid/exe")
  kill -TERM "$pid"; wait "$pid"; rc=$?
  echo "exe $exe, exit $rc"
  [ "${exe##*/}" = java ] && [ $rc = 143 ]
}
launcher_checks() {
  check "launcher: linkprobe-agent and linkprobe-collector --version" launcher_names
  check "launcher: LINKPROBE_JAVA_OPTS reaches the JVM" launcher_options
  check "launcher: a JAVA_HOME older than 17 is skipped with a warning" launcher_old_java_home
  if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
    check "launcher: no Java 17+ found -> exit 2 naming the fix" launcher_no_java
  else
    skip "launcher: no Java 17+ found (needs root and unshare to hide /usr/lib/jvm)"
  fi
  check "launcher: execs the JVM (same pid, SIGTERM -> exit 143)" launcher_execs
}

# The example configs must load in the real programs (the config keys are the Java side's).
# check-config also checks that the files a config names exist, so each config is checked as a
# copy whose /etc/linkprobe and /var/lib/linkprobe paths point into a scratch directory holding a
# valid tokens file and token.
config_check() {
  local launcher=$1 cfg scratch
  shift
  scratch=$(mktemp -d)
  mkdir -p "$scratch/etc" "$scratch/var"
  printf '%s\n' lpcheck-token > "$scratch/etc/agent.token"
  printf '%s\n' pgcheck-password > "$scratch/etc/pgpass"
  printf '%s site-check\n' "$(printf '%s' lpcheck-token | sha256sum | cut -d' ' -f1)" > "$scratch/etc/tokens"
  cp examples/fleet.yml "$scratch/etc/fleet.yml"
  for cfg in "$@"; do
    sed -e "s#/etc/linkprobe/#$scratch/etc/#g" -e "s#/var/lib/linkprobe/#$scratch/var/#g" -e "s#/var/lib/linkprobe\b#$scratch/var#g" \
      "$cfg" > "$scratch/$(basename "$cfg")"
    "$launcher" check-config --config "$scratch/$(basename "$cfg")" \
      || { echo "$cfg rejected by $launcher"; rm -rf "$scratch"; return 1; }
  done
  rm -rf "$scratch"
}
if [[ -f ../collector/target/linkprobe-collector.jar && -f ../agent/target/linkprobe-agent.jar ]]; then
  check "collector check-config accepts the example configs" \
    config_check bin/linkprobe-collector examples/collector.yml docker/compose/collector.yml \
      multi-region/collector/collector.yml
  # The example collector.yml leaves fleet_file commented out (its hubs are examples): check it named.
  with_fleet=$(mktemp -d)
  { cat examples/collector.yml; echo "fleet_file: /etc/linkprobe/fleet.yml"; } > "$with_fleet/collector-with-fleet.yml"
  check "collector check-config accepts the example fleet file" \
    config_check bin/linkprobe-collector "$with_fleet/collector-with-fleet.yml"
  rm -rf "$with_fleet"
  check "agent check-config accepts the example configs" \
    config_check bin/linkprobe-agent examples/agent.yml docker/compose/agent.yml
  launcher_checks
else
  skip "check-config of the example configs and the launcher (jars not built: mvn -q -DskipTests package)"
fi

echo "deploy/test.sh: $passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
