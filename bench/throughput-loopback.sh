#!/usr/bin/env bash
# Loopback single-stream goodput: linkprobe vs iperf3, alternating runs, with the ratio.
# A benchmark, not a test: it prints figures and never fails on them.
#
#   bench/throughput-loopback.sh [--runs N] [--duration S] [--direction down|up]
#
# linkprobe runs as two processes, like iperf3: `agent responder` and `agent test --json`
# (agent/target/linkprobe-agent.jar; build it with `mvn -q package -DskipTests`).
#
# Compared figures: linkprobe's steady rate (download.bits_per_second) and mean rate, against
# iperf3's receiver-side mean (end.sum_received.bits_per_second). "down" = the responder sends,
# matched by `iperf3 -R` (the iperf3 server sends); "up" = the client sends, plain `iperf3 -c`.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5 duration=10 direction=down
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --direction) direction=$2; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--duration S] [--direction down|up]" >&2; exit 2 ;;
  esac
done
[[ $duration =~ ^[0-9]+$ ]] && [ "$duration" -gt 0 ] \
  || { echo "throughput-loopback.sh: --duration is whole seconds, e.g. --duration 10 (was '$duration')" >&2; exit 2; }
case "$direction" in down) key=download reverse=-R ;; up) key=upload reverse= ;; *) echo "direction: down|up" >&2; exit 2 ;; esac
for tool in java iperf3 jq python3; do
  command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 1; }
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
tp_port=$(free_port) stamp_port=$(free_port) iperf_port=$(free_port)

jar=agent/target/linkprobe-agent.jar
[ -f "$jar" ] || { echo "$jar missing: mvn -q package -DskipTests" >&2; exit 1; }
responder=(java -jar "$jar" responder --stamp-port "$stamp_port" --throughput-port "$tp_port")
linkprobe_test() {
  java -jar "$jar" test 127.0.0.1 --throughput-port "$tp_port" --stamp-port "$stamp_port" \
    --direction "$direction" --duration "${duration}s" --json
}

pids=()
responder_log=$(mktemp)
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -f "$responder_log"
}
trap cleanup EXIT
"${responder[@]}" >"$responder_log" 2>&1 & pids+=($!)
iperf3 -s -p "$iperf_port" >/dev/null 2>&1 & pids+=($!)
wait_port() {
  for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "nothing listening on $1; the responder said:" >&2; cat "$responder_log" >&2; exit 1
}
wait_port "$tp_port"; wait_port "$iperf_port"

echo "loopback, 1 stream, $direction, ${duration} s, $runs runs each, alternating; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-4s %16s %16s %16s %8s %8s\n' run "linkprobe steady" "linkprobe mean" "iperf3" steady/ mean/
lp_all=() lp_means=() ip_all=()
for i in $(seq "$runs"); do
  lp_json=$(linkprobe_test)
  lp=$(jq -r ".$key.bits_per_second" <<<"$lp_json")
  lp_mean=$(jq -r ".$key.mean_bits_per_second" <<<"$lp_json")
  ip=$(iperf3 -c 127.0.0.1 -p "$iperf_port" -t "$duration" $reverse -J | jq -r '.end.sum_received.bits_per_second')
  lp_all+=("$lp") lp_means+=("$lp_mean") ip_all+=("$ip")
  python3 - "$i" "$lp" "$lp_mean" "$ip" <<'PY'
import sys
i, lp, mean, ip = sys.argv[1], *map(float, sys.argv[2:])
print(f"{i:<4} {lp/1e9:11.2f} Gbit/s {mean/1e9:11.2f} Gbit/s {ip/1e9:11.2f} Gbit/s {lp/ip:7.3f}x {mean/ip:7.3f}x")
PY
done
python3 - "${lp_all[*]}" "${lp_means[*]}" "${ip_all[*]}" <<'PY'
import statistics, sys
lp, mean, ip = ([float(x) for x in arg.split()] for arg in sys.argv[1:4])
m = statistics.median
print(f"median: linkprobe steady {m(lp)/1e9:.2f} Gbit/s, mean {m(mean)/1e9:.2f} Gbit/s; iperf3 {m(ip)/1e9:.2f} Gbit/s")
print(f"ratio of medians: steady {m(lp)/m(ip):.3f}x, mean {m(mean)/m(ip):.3f}x (target >= 0.9x, aim >= 1.0x)")
PY
