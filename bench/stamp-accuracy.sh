#!/usr/bin/env bash
# Where the time goes in an idle STAMP RTT, and how far linkprobe's figures are from the wire.
# A benchmark, not a test: it prints figures and fails only when it cannot run (exit 2).
#
#   bench/stamp-accuracy.sh [--count N] [--interval-ms MS] [--busy] [--reflector responder|busy-poll|embedded]
#                           [--user-timestamps] [--runs N] [--keep DIR]
#
# On an unshaped lab pair (lab/lab.sh: site, router with the TUN delay line, hub), at the same time:
#   - `linkprobe-agent responder` in the hub (default: no --busy-poll) and `test --latency-only`
#     in the site, N packets at MS mean gap (Poisson);
#   - irtt server in the hub, irtt client in the site, the same interval, for the same time;
#   - tcpdump on the site's eth0 (the sender's wire) and on the hub's eth0 (the reflector's wire).
# --reflector embedded runs the collector (collector/target/linkprobe-collector.jar) with its embedded
# responder instead of `agent responder`. --busy keeps one core busy (a shell loop) for the run, ended by its pid. --user-timestamps runs both
# JVMs with -Dlinkprobe.timestamps=user: the Netty sockets and user-space timestamps, as before the
# native shim (the "before" figures, on the same build).
#
# Printed per run: linkprobe p50/p99/max (its JSON), irtt p50, the wire RTT of the same STAMP packets
# at the sender's interface (matched by sequence number), and the split of the time (medians):
# reflector wake-up (request on the hub's wire -> T2 it stamped), reflector turnaround T3 - T2
# (stated, and subtracted by the sender), reflector send path (T3 -> reply on the hub's wire),
# sender send path (T1 -> request on the site's wire). Every clock here is the one host's
# CLOCK_REALTIME, shared by the namespaces, so the packet timestamps and the capture compare directly.
set -euo pipefail
cd "$(dirname "$0")/.."

count=1000 interval=10 busy=0 reflector=responder runs=1 keep= jvm_opts=()
usage() { sed -n '4,5p' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count=$2; shift 2 ;;
    --interval-ms) interval=$2; shift 2 ;;
    --busy) busy=1; shift ;;
    --reflector) reflector=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --user-timestamps) jvm_opts=(-Dlinkprobe.timestamps=user); shift ;;
    --keep) keep=$2; shift 2 ;;
    *) usage ;;
  esac
done
case "$reflector" in responder|embedded) responder_flags=() ;; busy-poll) responder_flags=(--busy-poll) ;; *) usage ;; esac
[ "$(id -u)" = 0 ] || { echo "stamp-accuracy: needs root (network namespaces)" >&2; exit 2; }
for tool in java irtt tcpdump tshark python3 ip; do
  command -v "$tool" >/dev/null || { echo "stamp-accuracy: $tool is required (apt-get install $tool)" >&2; exit 2; }
done
jar=agent/target/linkprobe-agent.jar
[ -f "$jar" ] || { echo "stamp-accuracy: $jar missing: mvn -q package -DskipTests" >&2; exit 2; }

work=$(mktemp -d)
name=lpb$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
pids=()
busy_pid=
cleanup() {
  [ -n "$busy_pid" ] && kill "$busy_pid" 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  bash lab/lab.sh down --name "$name" >/dev/null 2>&1 || true
  if [ -n "$keep" ]; then mkdir -p "$keep" && cp -r "$work"/. "$keep"/; fi
  rm -rf "$work"
}
trap cleanup EXIT

bash lab/lab.sh up --name "$name" --owner-pid $$ >"$work/lab.env" || { echo "stamp-accuracy: lab.sh up failed" >&2; exit 2; }
site_ns=$(sed -n 's/^site_ns=//p' "$work/lab.env")
hub_ns=$(sed -n 's/^hub_ns=//p' "$work/lab.env")
hub_addr=$(sed -n 's/^hub_addr=//p' "$work/lab.env")

# Background processes are started with "ip netns exec" directly (it execs), so that $! is their
# own pid and they can be ended by it.
in_hub() { ip netns exec "$hub_ns" "$@"; }
in_site() { ip netns exec "$site_ns" "$@"; }
wait_udp() {
  for _ in $(seq 300); do [ -n "$(in_hub ss -Hlnu sport = ":$1")" ] && return 0; sleep 0.1; done
  echo "stamp-accuracy: nothing listens on udp/$1 in the hub" >&2; cat "$work"/*.log >&2; exit 2
}

if [ "$reflector" = embedded ]; then
  cjar=collector/target/linkprobe-collector.jar
  [ -f "$cjar" ] || { echo "stamp-accuracy: $cjar missing: mvn -q package -DskipTests" >&2; exit 2; }
  : >"$work/tokens"
  printf 'http: {bind: %s, port: 9862}\ntokens_file: %s\narchive: {path: %s}\nresponder: {enabled: true, stamp_port: 862, throughput_port: 9863}\n' \
    "$hub_addr" "$work/tokens" "$work/archive.db" >"$work/collector.yml"
  ip netns exec "$hub_ns" java "${jvm_opts[@]}" -jar "$cjar" run --config "$work/collector.yml" \
    >"$work/responder.log" 2>&1 & pids+=($!)
else
  ip netns exec "$hub_ns" java "${jvm_opts[@]}" -jar "$jar" responder --stamp-port 862 --throughput-port 9863 "${responder_flags[@]}" \
    >"$work/responder.log" 2>&1 & pids+=($!)
fi
ip netns exec "$hub_ns" irtt server -b "$hub_addr:2112" -i 0 >"$work/irtt-server.log" 2>&1 & pids+=($!)
wait_udp 862; wait_udp 2112

echo "stamp-accuracy: unshaped lab pair, reflector: $reflector$([ ${#jvm_opts[@]} -gt 0 ] && echo ', user-space timestamps forced'), $count packets every ${interval} ms (Poisson), irtt at the same time;" \
  "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)$([ $busy = 1 ] && echo ', one core kept busy')"
for run in $(seq "$runs"); do
  rm -f "$work"/*.pcap
  ip netns exec "$site_ns" tcpdump -i eth0 -s 200 -w "$work/site.pcap" -U -n udp port 862 or udp port 2112 >"$work/tcpdump-site.log" 2>&1 & site_dump=$!
  ip netns exec "$hub_ns" tcpdump -i eth0 -s 200 -w "$work/hub.pcap" -U -n udp port 862 >"$work/tcpdump-hub.log" 2>&1 & hub_dump=$!
  pids+=("$site_dump" "$hub_dump")
  sleep 1 # tcpdump opens its capture asynchronously
  if [ $busy = 1 ]; then timeout 900 sh -c 'while :; do :; done' & busy_pid=$!; fi
  seconds=$(( count * interval / 1000 + 5 ))
  ip netns exec "$site_ns" irtt client -i "${interval}ms" -d "${seconds}s" -Q -o "$work/irtt.json" "$hub_addr:2112" >"$work/irtt-client.log" 2>&1 & irtt_pid=$!
  pids+=("$irtt_pid")
  in_site java "${jvm_opts[@]}" -jar "$jar" test "$hub_addr" --stamp-port 862 --latency-only --count "$count" \
    --interval-ms "$interval" --json --raw-rtts >"$work/linkprobe.json" 2>"$work/linkprobe.log" ||
    { echo "stamp-accuracy: linkprobe test failed:" >&2; cat "$work/linkprobe.log" >&2; exit 2; }
  kill "$irtt_pid" 2>/dev/null || true; wait "$irtt_pid" 2>/dev/null || true
  if [ -n "$busy_pid" ]; then kill "$busy_pid" 2>/dev/null || true; wait "$busy_pid" 2>/dev/null || true; busy_pid=; fi
  sleep 0.5
  kill "$site_dump" "$hub_dump" 2>/dev/null || true; wait "$site_dump" "$hub_dump" 2>/dev/null || true
  for side in site hub; do
    tshark -r "$work/$side.pcap" -T fields -E separator=, -e frame.time_epoch -e ip.src -e udp.srcport -e udp.dstport -e udp.payload \
      >"$work/$side.csv" 2>/dev/null
  done
  python3 bench/stamp_accuracy.py --run "$run" --hub "$hub_addr" --site-csv "$work/site.csv" --hub-csv "$work/hub.csv" \
    --linkprobe "$work/linkprobe.json" --irtt "$work/irtt.json"
done
