#!/usr/bin/env bash
# The plan flow end to end, with the real jars: one collector with a fleet file (its embedded
# responder the pool's only one, max_concurrent_tests 1, throughput every 1m two-way), three agents
# whose agent.yml has no targets at all (site, collector url, token), enrolled with
# `token new --sites-file`. After --minutes N it reads the collector's /metrics and checks that
# every site ran the plan (a latency window towards the plan's target, at least N-1 throughput
# tests per direction) and that the responder turned no test away as busy. In network namespaces:
# the collector in a hub namespace, each agent in a site namespace of its own behind its own line
# (tbf rate per direction and a delay line, through one router namespace, as lab/lab.sh builds
# one), so every test is a link test; addresses in 198.18.0.0/15, namespaces named lpf<6 hex>-*,
# all of it removed on any exit (processes ended by pid). Root, ip, tc, gcc, /dev/net/tun.
#
#   lab/fleet-check.sh [--minutes 3]        (needs agent/ and collector/ jars: mvn -B -ntp package)
#
# Time bound: N minutes + ~45 s (namespaces, start, plan fetch, last scrape, teardown). Exit 0 pass, 1 fail, 2 setup.
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=3
keep=
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;  # copy the logs, configs and archive there at the end
    *) echo "usage: lab/fleet-check.sh [--minutes N] [--keep DIR]" >&2; exit 2 ;;
  esac
done
agent_jar=agent/target/linkprobe-agent.jar
collector_jar=collector/target/linkprobe-collector.jar
for j in "$agent_jar" "$collector_jar"; do
  [ -f "$j" ] || { echo "fleet-check: $j is missing; build it with: mvn -B -ntp package -DskipTests" >&2; exit 2; }
done

[ "$(id -u)" -eq 0 ] || { echo "fleet-check: needs root (network namespaces)" >&2; exit 2; }
for tool in ip tc gcc curl python3; do
  command -v "$tool" >/dev/null || { echo "fleet-check: $tool not found (needed for the namespaces and the delay line)" >&2; exit 2; }
done
[ -c /dev/net/tun ] || { echo "fleet-check: /dev/net/tun is missing (the delay line needs TUN devices)" >&2; exit 2; }
lab/lab.sh build

# Three sites, each on its own line, through one router to the hub where the collector runs:
#
#   <name>-s1  eth0 198.18.1.2 ── veth ── s1 198.18.1.1 ┐
#   <name>-s2  eth0 198.18.2.2 ── veth ── s2 198.18.2.1 ├ <name>-rtr ── hub 198.19.1.1 ── veth ── eth0 198.19.1.2 <name>-hub
#   <name>-s3  eth0 198.18.3.2 ── veth ── s3 198.18.3.1 ┘
#
# As in lab/lab.sh, every packet a site sends or receives crosses that site's delay line (one per
# site, TUN devices tsK/thK in the router, policy-routed by incoming interface, and by destination
# for what comes from the hub) and a tbf: the down rate on the router's sK veth, the up rate on tsK,
# where the router hands the site's packets to its delay line. So the tests are link tests: each
# site's throughput is held to its line's rate, and its RTT carries its line's delay.
name=lpf$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
H=$name-hub R=$name-rtr
HUB=198.19.1.2
work=$(mktemp -d /tmp/linkprobe-fleet-check.XXXXXX)
pids=()
namespaces=()
alive() { kill -0 "$1" 2>/dev/null; }
stop_all() { # TERM to every pid at once, up to 5 s for all of them, then KILL; by pid only
  local p i left
  for p in "$@"; do kill "$p" 2>/dev/null || true; done
  for ((i = 0; i < 50; i++)); do
    left=0
    for p in "$@"; do alive "$p" && left=1; done
    [ "$left" -eq 0 ] && return 0
    sleep 0.1
  done
  for p in "$@"; do kill -9 "$p" 2>/dev/null || true; done
}
cleanup() {
  trap '' INT TERM  # finish removing everything even when timeout(1) sends TERM now
  set +e
  local f p ns rest=()
  for f in "$work"/delayline*.pid; do [ -s "$f" ] && pids+=("$(cat "$f")"); done
  [ ${#pids[@]} -gt 0 ] && stop_all "${pids[@]}"
  for ns in "${namespaces[@]}"; do for p in $(ip netns pids "$ns" 2>/dev/null); do rest+=("$p"); done; done
  [ ${#rest[@]} -gt 0 ] && stop_all "${rest[@]}"
  for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null; done
  if [ -n "${keep:-}" ]; then mkdir -p "$keep" && cp -r "$work"/. "$keep"/ 2>/dev/null; fi
  rm -rf "$work"
  echo "fleet-check: lab $name removed, ${SECONDS} s in all"
}
trap cleanup EXIT
trap 'exit 1' INT TERM  # the EXIT trap removes everything (timeout(1) sends TERM)

sites=(fleet-a fleet-b fleet-c)
# Per site: down and up rate (Mbit/s), one-way delay (ms), link label. The contract each site's
# fleet entry states is its line's rate.
down=(50 8 20) up=(10 1 5) delay=(5 15 10) link=(fttp adsl fttc)

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
new_ns() {
  ip netns add "$1"
  namespaces+=("$1")
  ip -n "$1" link set lo up
  in_ns "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 2>/dev/null || true
}
tbf() { # ns dev mbit buffer_ms: a 1 ms bucket (at least two frames) and buffer_ms of queue at line rate
  local bps=$(( $3 * 1000000 )) burst limit
  burst=$(( bps / 8 / 1000 )); (( burst >= 3028 )) || burst=3028
  limit=$(( bps / 8 * $4 / 1000 )); (( limit >= burst )) || limit=$burst
  tc -n "$1" qdisc add dev "$2" root tbf rate "${bps}bit" burst "$burst" limit "$limit"
}
new_ns "$H"; new_ns "$R"
in_ns "$R" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
    net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.default.send_redirects=0
ip -n "$H" link add eth0 mtu 1500 gso_max_segs 1 type veth peer name hub netns "$R"
ip -n "$H" addr add $HUB/24 dev eth0
ip -n "$R" addr add 198.19.1.1/24 dev hub
ip -n "$H" link set eth0 up
ip -n "$R" link set hub up
ip -n "$H" route add default via 198.19.1.1
for i in "${!sites[@]}"; do
  k=$((i + 1)) S=$name-s$((i + 1))
  new_ns "$S"
  ip -n "$S" link add eth0 mtu 1500 gso_max_segs 1 type veth peer name "s$k" netns "$R"
  ip -n "$S" addr add "198.18.$k.2/24" dev eth0
  ip -n "$R" addr add "198.18.$k.1/24" dev "s$k"
  ip -n "$S" link set eth0 up
  ip -n "$R" link set "s$k" up
  ip -n "$S" route add default via "198.18.$k.1"
  ip -n "$R" tuntap add dev "ts$k" mode tun
  ip -n "$R" tuntap add dev "th$k" mode tun
  ip -n "$R" link set "ts$k" mtu 1500 up
  ip -n "$R" link set "th$k" mtu 1500 up
  ip -n "$R" route add default dev "ts$k" table $((100 + k))
  ip -n "$R" route add default dev "th$k" table $((200 + k))
  ip -n "$R" rule add pref $((100 + k)) iif "s$k" lookup $((100 + k))
  ip -n "$R" rule add pref $((200 + k)) iif hub to "198.18.$k.0/24" lookup $((200 + k))
  tbf "$R" "s$k" "${down[$i]}" 50
  tbf "$R" "ts$k" "${up[$i]}" 50
  us=$(( ${delay[$i]} * 1000 ))
  in_ns "$R" setsid lab/build/delayline --up-in "ts$k" --up-out "th$k" --down-in "th$k" --down-out "ts$k" \
      --delay-up-us "$us" --delay-down-us "$us" --rt 10 --stats "$work/delayline$k.json" \
      --pidfile "$work/delayline$k.pid" </dev/null >"$work/delayline$k.log" 2>&1 &
  for _ in $(seq 100); do [ -s "$work/delayline$k.pid" ] && break; sleep 0.03; done
  [ -s "$work/delayline$k.pid" ] || { echo "fleet-check: delay line $k did not start: $(cat "$work/delayline$k.log")" >&2; exit 2; }
done

http_port=9100 stamp_port=8620 tput_port=8621
printf '%s\n' "${sites[@]}" > "$work/sites.txt"
: > "$work/tokens"
# Short-lived CLI JVMs start faster without the optimising compiler.
cli=(java -XX:TieredStopAtLevel=1 -jar "$collector_jar")
"${cli[@]}" token new --sites-file "$work/sites.txt" --tokens-file "$work/tokens" \
    --out-dir "$work/tokens.d" >/dev/null

{
  echo "embedded_responder: {enabled: true, max_mbps: 1000}"
  echo "defaults:"
  echo "  targets: [{name: hub, host: $HUB, stamp_port: $stamp_port}]"
  echo "  window: 10s"
  echo "  throughput: {enabled: true, every: 1m, duration: 3s, direction: both}"
  # Video tests off: each takes a 65 s slot of the one lane, which throughput tests every minute
  # (15 s slots, three sites) leave no room for, so the collector would rightly stretch every
  # period (x1.83 seen: 8 tests in 15 minutes where 15 were asked). Video slots have their own tests.
  echo "  video: {enabled: false}"
  echo "sites:"
  for i in "${!sites[@]}"; do
    echo "  ${sites[$i]}: {labels: {link: ${link[$i]}}, expected: {down_mbps: ${down[$i]}, up_mbps: ${up[$i]}}}"
  done
} > "$work/fleet.yml"
cat > "$work/collector.yml" <<EOF
http: {bind: $HUB, port: $http_port}
tokens_file: $work/tokens
fleet_file: $work/fleet.yml
archive: {path: $work/archive.db}
responder: {enabled: true, stamp_port: $stamp_port, throughput_port: $tput_port, max_concurrent_tests: 1}
EOF
in_ns "$H" java -jar "$collector_jar" run --config "$work/collector.yml" > "$work/collector.log" 2>&1 &
pids+=($!)
# check-config on the same file meanwhile (in the hub: http.bind is the hub's address)
in_ns "$H" "${cli[@]}" check-config --config "$work/collector.yml" > "$work/check-config.log" 2>&1 &
check_pid=$!
pids+=($check_pid)
for _ in $(seq 120); do
  in_ns "$H" curl -fs "http://$HUB:$http_port/-/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
in_ns "$H" curl -fs "http://$HUB:$http_port/-/ready" >/dev/null || { echo "fleet-check: the collector did not start:"; tail -20 "$work/collector.log"; exit 2; }
wait "$check_pid" || { echo "fleet-check: check-config refused the collector's config:"; cat "$work/check-config.log"; exit 2; }

for i in "${!sites[@]}"; do
  s=${sites[$i]}
  mkdir -p "$work/$s"
  # No targets, labels, latency or throughput: all of it comes from the plan.
  cat > "$work/$s/agent.yml" <<EOF
site: $s
state_dir: $work/$s
collector: {url: 'http://$HUB:$http_port', token_file: $work/tokens.d/$s.token, plan_refresh: 10s}
spool: {path: $work/$s/spool.db}
EOF
  in_ns "$name-s$((i + 1))" java -jar "$agent_jar" run --config "$work/$s/agent.yml" > "$work/$s/agent.log" 2>&1 &
  pids+=($!)
done

echo "fleet-check: lab $name up, collector ready, agents started after ${SECONDS} s"
echo "fleet-check: lab $name: 1 collector in the hub (embedded responder, max_concurrent_tests 1), ${#sites[@]} agents without targets in their own site namespaces, each behind its own shaped line; every 1m both directions, for $minutes min"
sleep $((minutes * 60 + 10)) & wait $!

metrics=$(in_ns "$H" curl -fs "http://$HUB:$http_port/metrics")
count() { # site direction result
  echo "$metrics" | awk -v s="site=\"$1\"" -v d="direction=\"$2\"" -v r="result=\"$3\"" \
    '$1 ~ /^linkprobe_throughput_tests_total\{/ && index($1,s) && index($1,d) && index($1,r) {n+=$2} END {print n+0}'
}
rate() { # site direction: the last test's steady rate, Mbit/s
  echo "$metrics" | awk -v s="site=\"$1\"" -v d="direction=\"$2\"" \
    '$1 ~ /^linkprobe_throughput_bytes_per_second\{/ && index($1,s) && index($1,d) {v=$2} END {printf "%.2f\n", v*8/1e6}'
}
fail=0
busy_total=0
# The collector's period as it scheduled it: stretched only when the fleet asks more than the pool.
python3 - "$work/${sites[0]}/plan.json" <<'PY' || fail=1
import json, sys
t = json.load(open(sys.argv[1]))["throughput"]
print(f"fleet-check: plan: throughput every {t['every_millis'] / 1000:.0f} s in a {t['slot_millis'] / 1000:.0f} s slot, stretch {t['stretch']:.2f} (want 1.00)")
sys.exit(0 if abs(t["stretch"] - 1) < 1e-9 else 1)
PY
printf '%-8s %-22s %-22s %6s %6s %6s %6s %-15s %s\n' site plan 'line down/up, delay' down_ok up_ok busy other \
    'last Mbit/s' 'probes, mean RTT'
for i in "${!sites[@]}"; do
  s=${sites[$i]}
  plan=$(grep -o 'Now running plan [^ ]*' "$work/$s/agent.log" | tail -1 | awk '{print $4}')
  down_ok=$(count "$s" down ok); up_ok=$(count "$s" up ok)
  busy=$(( $(count "$s" down busy) + $(count "$s" up busy) ))
  all=$(echo "$metrics" | awk -v s="site=\"$s\"" '$1 ~ /^linkprobe_throughput_tests_total\{/ && index($1,s) {n+=$2} END {print n+0}')
  other=$(( all - down_ok - up_ok - busy ))
  down_mbps=$(rate "$s" down); up_mbps=$(rate "$s" up)
  read -r latency rtt_ms < <(echo "$metrics" | awk -v s="site=\"$s\"" '
    index($1,s) && index($1,"target=\"hub\"") && $1 ~ /^linkprobe_rtt_seconds_count\{/ {n+=$2}
    index($1,s) && index($1,"target=\"hub\"") && $1 ~ /^linkprobe_rtt_seconds_sum\{/ {t+=$2}
    END {printf "%d %.1f\n", n, n ? t/n*1000 : 0}')
  printf '%-8s %-22s %-22s %6s %6s %6s %6s %-15s %s\n' "$s" "${plan:-none}" \
    "${down[$i]}/${up[$i]} Mbit/s, ${delay[$i]} ms" "$down_ok" "$up_ok" "$busy" "$other" \
    "$down_mbps/$up_mbps" "$latency, $rtt_ms ms"
  # A rate above the line's would mean the test did not cross the shaped line.
  if awk -v d="$down_mbps" -v u="$up_mbps" -v ld="${down[$i]}" -v lu="${up[$i]}" 'BEGIN {exit !(d > ld || u > lu)}'; then
    echo "fleet-check: $s measured more than its line's rate: the test did not cross the line"
    fail=1
  fi
  busy_total=$((busy_total + busy))
  if [ -z "$plan" ] || [ "$down_ok" -lt $((minutes - 1)) ] || [ "$up_ok" -lt $((minutes - 1)) ] || [ "$latency" -eq 0 ]; then
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
