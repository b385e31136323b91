#!/usr/bin/env bash
# The plan flow end to end, with the real jars: one collector with a fleet file (its embedded
# responder the pool's only one, max_concurrent_tests 1, throughput every 1m two-way), three agents
# whose agent.yml has no targets at all (site, collector url, token), enrolled with
# `token new --sites-file`. After --minutes N it reads the collector's /metrics and checks that
# every site ran the plan (a latency window towards the plan's target, at least N-1 throughput
# tests per direction) and that the responder turned no test away as busy. Loopback only: the
# claim is about the plan and its slots, not the links.
#
#   lab/fleet-check.sh [--minutes 3]        (needs agent/ and collector/ jars: mvn -B -ntp package)
#
# Time bound: N minutes + ~40 s (start, plan fetch, last scrape). Exit 0 pass, 1 fail, 2 setup.
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=3
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    *) echo "usage: lab/fleet-check.sh [--minutes N]" >&2; exit 2 ;;
  esac
done
agent_jar=agent/target/linkprobe-agent.jar
collector_jar=collector/target/linkprobe-collector.jar
for j in "$agent_jar" "$collector_jar"; do
  [ -f "$j" ] || { echo "fleet-check: $j is missing; build it with: mvn -B -ntp package -DskipTests" >&2; exit 2; }
done

work=$(mktemp -d /tmp/linkprobe-fleet-check.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http_port=$(free_port); stamp_port=$(free_port); tput_port=$(free_port)
sites=(fleet-a fleet-b fleet-c)

printf '%s\n' "${sites[@]}" > "$work/sites.txt"
: > "$work/tokens"
java -jar "$collector_jar" token new --sites-file "$work/sites.txt" --tokens-file "$work/tokens" \
    --out-dir "$work/tokens.d" >/dev/null

cat > "$work/fleet.yml" <<EOF
embedded_responder: {enabled: true, max_mbps: 1000}
defaults:
  targets: [{name: hub, host: 127.0.0.1, stamp_port: $stamp_port}]
  window: 10s
  throughput: {enabled: true, every: 1m, duration: 3s, direction: both}
sites:
  fleet-a: {labels: {link: fttp}, expected: {down_mbps: 300, up_mbps: 50}}
  fleet-b: {labels: {link: adsl}, expected: {down_mbps: 20, up_mbps: 2}}
  fleet-c: {}
EOF
cat > "$work/collector.yml" <<EOF
http: {bind: 127.0.0.1, port: $http_port}
tokens_file: $work/tokens
fleet_file: $work/fleet.yml
archive: {path: $work/archive.db}
responder: {enabled: true, stamp_port: $stamp_port, throughput_port: $tput_port, max_concurrent_tests: 1}
EOF
java -jar "$collector_jar" check-config --config "$work/collector.yml" >/dev/null
java -jar "$collector_jar" run --config "$work/collector.yml" > "$work/collector.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do
  curl -fs "http://127.0.0.1:$http_port/-/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "http://127.0.0.1:$http_port/-/ready" >/dev/null || { echo "fleet-check: the collector did not start:"; tail -20 "$work/collector.log"; exit 2; }

for s in "${sites[@]}"; do
  mkdir -p "$work/$s"
  # No targets, labels, latency or throughput: all of it comes from the plan.
  cat > "$work/$s/agent.yml" <<EOF
site: $s
state_dir: $work/$s
collector: {url: 'http://127.0.0.1:$http_port', token_file: $work/tokens.d/$s.token, plan_refresh: 10s}
spool: {path: $work/$s/spool.db}
EOF
  java -jar "$agent_jar" run --config "$work/$s/agent.yml" > "$work/$s/agent.log" 2>&1 &
  pids+=($!)
done

echo "fleet-check: 1 collector (embedded responder, max_concurrent_tests 1), ${#sites[@]} agents without targets, every 1m both directions, for $minutes min"
sleep $((minutes * 60 + 15))

metrics=$(curl -fs "http://127.0.0.1:$http_port/metrics")
count() { # site direction result
  echo "$metrics" | awk -v s="site=\"$1\"" -v d="direction=\"$2\"" -v r="result=\"$3\"" \
    '$1 ~ /^linkprobe_throughput_tests_total\{/ && index($1,s) && index($1,d) && index($1,r) {n+=$2} END {print n+0}'
}
fail=0
busy_total=0
printf '%-8s %-22s %6s %6s %6s %6s  %s\n' site plan down_ok up_ok busy other latency
for s in "${sites[@]}"; do
  plan=$(grep -o 'Now running plan [^ ]*' "$work/$s/agent.log" | tail -1 | awk '{print $4}')
  down=$(count "$s" down ok); up=$(count "$s" up ok)
  busy=$(( $(count "$s" down busy) + $(count "$s" up busy) ))
  all=$(echo "$metrics" | awk -v s="site=\"$s\"" '$1 ~ /^linkprobe_throughput_tests_total\{/ && index($1,s) {n+=$2} END {print n+0}')
  other=$(( all - down - up - busy ))
  latency=$(echo "$metrics" | awk -v s="site=\"$s\"" '$1 ~ /^linkprobe_rtt_seconds_count\{/ && index($1,s) && index($1,"target=\"hub\"") {n+=$2} END {printf "%d\n", n}')
  printf '%-8s %-22s %6s %6s %6s %6s  %s\n' "$s" "${plan:-none}" "$down" "$up" "$busy" "$other" \
    "$latency probes to hub"
  busy_total=$((busy_total + busy))
  if [ -z "$plan" ] || [ "$down" -lt $((minutes - 1)) ] || [ "$up" -lt $((minutes - 1)) ] || [ "$latency" -eq 0 ]; then
    fail=1
  fi
done
echo "fleet-check: busy answers: $busy_total (want 0); each site wants >= $((minutes - 1)) ok tests per direction"
[ "$busy_total" -eq 0 ] || fail=1
if [ "$fail" -ne 0 ]; then
  echo "fleet-check: FAIL; logs:"
  for s in "${sites[@]}"; do echo "--- $s"; grep -E 'WARN|ERROR|plan' "$work/$s/agent.log" | tail -10; done
  echo "--- collector"; grep -E 'WARN|ERROR' "$work/collector.log" | tail -10
  exit 1
fi
echo "fleet-check: PASS"
