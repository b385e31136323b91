#!/usr/bin/env bash
# Did the fibre upgrade deliver? In compressed time, with the real jars on lab lines (issue 12):
# two labs side by side (lab/lab.sh: site, router with tbf and the delay line, hub), each with the
# real collector in its hub and a real agent in its site, whose plan (the collector's fleet file)
# says link: copper, contract 2/0.5 Mbit/s, on a 2 Mbit/s / 500 kbit/s line, 15 ms each way, 100 ms
# buffer. After 70 s of that plan the fleet file says link: fttp with an 80/20 Mbit/s contract; the
# collector reloads it (SIGHUP), the agent's next plan carries the new label (the collector records
# the cut-over from the changed link label), and the line is switched (lab.sh change):
#
#   delivered:      the line becomes 84/21 Mbit/s layer 2 (TCP goodput is 95.6 % of that, ~80/20, as
#                   a provider provisions an 80 Mbit/s product), 2 ms each way, 50 ms buffer
#   not_delivered:  the line becomes 10/2 Mbit/s, 2 ms each way, against the same 80/20 contract
#
# The collectors run with upgrades: {before: 60s, settle: 10s, after: 135s, min_tests: 2,
# min_windows: 10} (windows that are not whole hours read the raw tier); the plan measures 5 s
# latency windows and a throughput test each way every minute (135 s holds two whole tests
# wherever the slot falls). The script waits for each verdict to leave `pending`, prints the
# verdicts with the before/after figures, and fails unless they are the expected ones.
#
#   lab/upgrade-check.sh [--keep DIR]  (root; ip, tc, gcc, /dev/net/tun; the jars: mvn -B -ntp package)
#
# Time bound: about 4-5 minutes (JVM starts, 70 s copper, 10 s settle + 135 s after, teardown);
# .ci/run runs it under a 6-minute timeout. Exit 0 pass, 1 fail, 2 setup.
set -euo pipefail
cd "$(dirname "$0")/.."

keep=
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep="$2"; shift 2 ;;  # copy the logs, configs and archives there at the end
    *) echo "usage: lab/upgrade-check.sh [--keep DIR]" >&2; exit 2 ;;
  esac
done
agent_jar=agent/target/linkprobe-agent.jar
collector_jar=collector/target/linkprobe-collector.jar
for j in "$agent_jar" "$collector_jar"; do
  [ -f "$j" ] || { echo "upgrade-check: $j is missing; build it with: mvn -B -ntp package -DskipTests" >&2; exit 2; }
done
[ "$(id -u)" -eq 0 ] || { echo "upgrade-check: needs root (network namespaces)" >&2; exit 2; }
for tool in ip tc gcc curl python3; do
  command -v "$tool" >/dev/null || { echo "upgrade-check: $tool not found (needed for the lab)" >&2; exit 2; }
done
[ -c /dev/net/tun ] || { echo "upgrade-check: /dev/net/tun is missing (the delay line needs TUN devices)" >&2; exit 2; }

HUB=198.19.1.2 PORT=9100 STAMP=8620 TPUT=8621
work=$(mktemp -d /tmp/linkprobe-upgrade-check.XXXXXX)
labs=()
pids=()
alive() { kill -0 "$1" 2>/dev/null; }
stop() { # TERM, up to 10 s, then KILL; by pid only
  local p=$1 i
  kill "$p" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do alive "$p" || return 0; sleep 0.1; done
  kill -9 "$p" 2>/dev/null || true
}
cleanup() {
  trap '' INT TERM  # finish removing everything even when timeout(1) sends TERM now
  set +e
  local p l
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do stop "$p"; done
  for l in "${labs[@]}"; do lab/lab.sh down --name "$l"; done
  if [ -n "$keep" ]; then mkdir -p "$keep" && cp -r "$work"/. "$keep"/ 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

lab/lab.sh build
cli=(java -XX:TieredStopAtLevel=1 -jar "$collector_jar")

fleet_yml() { # file site link down up: the site's plan, as the programme's fleet file says
  cat > "$1" <<EOF
embedded_responder: {enabled: true, max_mbps: 1000}
defaults:
  targets: [{name: hub, host: $HUB, stamp_port: $STAMP}]
  window: 5s
  throughput: {enabled: true, every: 1m, duration: 3s, direction: both}
sites:
  $2: {labels: {link: $3, region: lab}, expected: {down_mbps: $4, up_mbps: $5}}
EOF
}

# One scenario, in the background: its own lab, collector and agent; writes $work/<site>/upgrades.json.
scenario() { # site lab down_after up_after
  local site=$1 d=$work/$1 name=$2
  shift
  lab/lab.sh up --name "$name" --owner-pid $$ --down-rate 2mbit --up-rate 500kbit --buffer-ms 100 \
      --delay-ms 15 > "$d/lab.env"
  printf '%s\n' "$site" > "$d/sites.txt"
  : > "$d/tokens"
  "${cli[@]}" token new --sites-file "$d/sites.txt" --tokens-file "$d/tokens" --out-dir "$d/tokens.d" >/dev/null
  fleet_yml "$d/fleet.yml" "$site" copper 2 0.5
  cat > "$d/collector.yml" <<EOF
http: {bind: $HUB, port: $PORT}
tokens_file: $d/tokens
fleet_file: $d/fleet.yml
archive: {path: $d/archive.db}
responder: {enabled: true, stamp_port: $STAMP, throughput_port: $TPUT, max_concurrent_tests: 1}
upgrades: {before: 60s, settle: 10s, after: 135s, min_tests: 2, min_windows: 10}
EOF
  lab/lab.sh exec "$name" hub -- java -jar "$collector_jar" run --config "$d/collector.yml" > "$d/collector.log" 2>&1 &
  local collector=$!
  echo "$collector" > "$d/collector.pid"
  lab/lab.sh exec "$name" hub -- "${cli[@]}" check-config --config "$d/collector.yml" > "$d/check-config.log" 2>&1 \
    || { echo "upgrade-check: check-config refused $d/collector.yml: $(cat "$d/check-config.log")"; return 2; }
  local i
  for ((i = 0; i < 120; i++)); do
    lab/lab.sh exec "$name" hub -- curl -fs "http://$HUB:$PORT/-/ready" >/dev/null 2>&1 && break
    sleep 0.5
  done
  lab/lab.sh exec "$name" hub -- curl -fs "http://$HUB:$PORT/-/ready" >/dev/null \
    || { echo "upgrade-check: $site: the collector did not start: $(tail -5 "$d/collector.log")"; return 2; }
  # No targets, labels or schedule here: the plan (the fleet file) says them, and says the new link.
  cat > "$d/agent.yml" <<EOF
site: $site
state_dir: $d
collector: {url: 'http://$HUB:$PORT', token_file: $d/tokens.d/$site.token, plan_refresh: 10s}
spool: {path: $d/spool.db}
EOF
  lab/lab.sh exec "$name" site -- java -jar "$agent_jar" run --config "$d/agent.yml" > "$d/agent.log" 2>&1 &
  echo $! > "$d/agent.pid"
  plan_running() { grep -c 'Now running plan' "$d/agent.log" 2>/dev/null || true; }
  for ((i = 0; i < 120 && $(plan_running) == 0; i++)); do sleep 0.5; done
  alive "$(cat "$d/agent.pid")" && [ "$(plan_running)" -gt 0 ] \
    || { echo "upgrade-check: $site: the agent is not running its plan: $(tail -5 "$d/agent.log")"; return 2; }
  echo "upgrade-check: $site: agent on its plan after ${SECONDS} s; on copper (2 Mbit/s / 500 kbit/s, 15 ms each way) for 70 s"
  sleep 70
  # The cut-over: the fleet file says link fttp with the new contract and the collector reloads it
  # (SIGHUP); once the agent runs the new plan (its pushes carry the new label: the collector
  # records the cut-over at the first of them) the line is switched, within the settle period, so
  # the before side is all copper and the after side all the new line.
  local plans
  plans=$(plan_running)
  fleet_yml "$d/fleet.yml" "$site" fttp 80 20
  kill -HUP "$collector"
  for ((i = 0; i < 60 && $(plan_running) == plans; i++)); do sleep 0.5; done
  lab/lab.sh change --name "$name" --down-rate "$2" --up-rate "$3" --buffer-ms 50 --delay-ms 2 > /dev/null
  echo "upgrade-check: $site: plan says fttp, line switched after ${SECONDS} s: $2 / $3, 2 ms each way; contract 80/20 Mbit/s"
  for ((i = 0; i < 60; i++)); do
    sleep 5
    [ $((i % 6)) -eq 5 ] && echo "upgrade-check: $site: waiting for the verdict (${SECONDS} s)"
    lab/lab.sh exec "$name" hub -- curl -fs "http://$HUB:$PORT/api/v1/upgrades" > "$d/upgrades.json" 2>/dev/null || continue
    python3 - "$d/upgrades.json" "$site" <<'PY' && break
import json, sys
rows = json.load(open(sys.argv[1]))["upgrades"]
mine = [r for r in rows if r.get("site") == sys.argv[2]]
sys.exit(0 if mine and mine[0].get("verdict") not in (None, "pending") else 1)
PY
  done
}

sites=(lab-delivered lab-not-delivered)
declare -A want=([lab-delivered]=delivered [lab-not-delivered]=not_delivered)
mkdir -p "$work/lab-delivered" "$work/lab-not-delivered"
lab1=up$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n') lab2=up$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
labs=("$lab1" "$lab2")  # removed by cleanup whatever happens (lab.sh down also ends what runs inside)
scenario lab-delivered "$lab1" 84mbit 21mbit > >(sed -u 's/^/[lab-delivered] /') 2>&1 &
p1=$!
scenario lab-not-delivered "$lab2" 10mbit 2mbit > >(sed -u 's/^/[lab-not-delivered] /') 2>&1 &
p2=$!
pids+=("$p1" "$p2")
rc1=0 rc2=0
wait "$p1" || rc1=$?
wait "$p2" || rc2=$?
for s in "${sites[@]}"; do
  for f in collector.pid agent.pid; do [ -s "$work/$s/$f" ] && pids+=("$(cat "$work/$s/$f")"); done
done
if [ "$rc1" -ne 0 ] || [ "$rc2" -ne 0 ]; then
  echo "upgrade-check: a scenario could not run (exit $rc1 / $rc2)"
  exit 2
fi

fail=0
for s in "${sites[@]}"; do
  python3 - "$work/$s/upgrades.json" "$s" "${want[$s]}" <<'PY' || fail=1
import json, sys
rows = json.load(open(sys.argv[1]))["upgrades"]
mine = [r for r in rows if r.get("site") == sys.argv[2]]
if not mine:
    print(f"upgrade-check: {sys.argv[2]}: no upgrade recorded (the link label change was not seen)")
    sys.exit(1)
u = mine[0]
print(f"upgrade-check: {sys.argv[2]}: verdict {u['verdict']} (want {sys.argv[3]}); cut-over {u['cut_over']} "
      f"({u['source']}, link {u['link']}, contract {u['contract_down_mbps']}/{u['contract_up_mbps']} Mbit/s)"
      + (f"; reasons: {'; '.join(u['reasons'])}" if u.get("reasons") else ""))
def n(v, f="{:.2f}"):
    return "-" if v is None else f.format(v)
for side in ("before", "after"):
    x = {k: None for k in ("down_median_mbps", "up_median_mbps", "rtt_p50_ms", "rtt_p95_ms", "loss_up",
                           "loss_down", "bufferbloat_grade")}
    x.update(u[side])
    print(f"  {side:6} {x['from'][11:19]}-{x['to'][11:19]}: down {n(x['down_median_mbps'])} Mbit/s median"
          f" ({x['down_tests']} tests), up {n(x['up_median_mbps'])} ({x['up_tests']}), RTT p50/p95"
          f" {n(x['rtt_p50_ms'], '{:.1f}')}/{n(x['rtt_p95_ms'], '{:.1f}')} ms, loss up/down"
          f" {n(None if x['loss_up'] is None else x['loss_up'] * 100)}/{n(None if x['loss_down'] is None else x['loss_down'] * 100)} %,"
          f" grade {x['bufferbloat_grade'] or '-'}, {x['latency_windows']} windows")
sys.exit(0 if u.get("verdict") == sys.argv[3] else 1)
PY
done
if [ "$fail" -ne 0 ]; then
  echo "upgrade-check: FAIL; logs:"
  for s in "${sites[@]}"; do
    echo "--- $s"; grep -hE 'level=(warn|error)' "$work/$s/agent.log" "$work/$s/collector.log" | tail -10
  done
  exit 1
fi
echo "upgrade-check: PASS (${SECONDS} s)"
