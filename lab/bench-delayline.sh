#!/usr/bin/env bash
# The delay line's own cost: how fast it forwards and how much delay it adds of its own.
#
#   lab/bench-delayline.sh [SECONDS]      (root; iperf3; about 1.5 minutes with the default 5 s)
#
# 1. Throughput through an unshaped lab: no delay line (kernel forwarding only), the delay line at
#    0 ms and at 10 ms; then a 100 Mbit/s line with 20 ms RTT. iperf3 single stream, both
#    directions, with the delay line's CPU share over the run. Rates are iperf3's means, slow
#    start included.
# 2. Idle RTT p50 (udpping, one probe every 2 ms) without and with the delay line at 0 ms, in
#    alternating rounds; half the difference is the line's own delay per pass (an upper bound:
#    without the line the whole round trip runs on one CPU). Its release lateness with a 10 ms
#    delay comes from its own histogram.
set -euo pipefail

LAB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lab.sh
UDPPING=$(dirname "$LAB")/build/udpping
SECONDS_PER_RUN=${1:-5}
HUB=198.19.1.2
NAMES=()
SERVERS=()

cleanup() {
    local pid name
    for pid in "${SERVERS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for name in "${NAMES[@]}"; do "$LAB" down --name "$name" || true; done
}
trap cleanup EXIT

up() {   # up NAME ARGS... : a lab with an iperf3 and a udpping server in its hub
    local name=$1
    shift
    "$LAB" up --name "$name" "$@" >/dev/null
    NAMES+=("$name")
    "$LAB" exec "$name" hub -- iperf3 -s -B $HUB >/dev/null 2>&1 &
    SERVERS+=($!)
    "$LAB" exec "$name" hub -- "$UDPPING" server $HUB 7777 >/dev/null 2>&1 &
    SERVERS+=($!)
    sleep 0.5
}

cpu_ticks() {   # user + system clock ticks of the lab's delay line, 0 without one
    local pidfile=/run/linkprobe-lab/$1/delayline.pid
    [[ -f $pidfile ]] || { echo 0; return; }
    sed 's/.*) //' "/proc/$(cat "$pidfile")/stat" | awk '{ print $12 + $13 }'
}

throughput() {   # throughput NAME LABEL
    local name=$1 label=$2 dir c0 c1 t0 t1 mbit
    for dir in up down; do
        c0=$(cpu_ticks "$name"); t0=$(date +%s.%N)
        mbit=$("$LAB" exec "$name" site -- iperf3 -c $HUB -t "$SECONDS_PER_RUN" -J $([[ $dir == down ]] && echo -R) |
            python3 -c 'import json, sys; print("%.1f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6))')
        c1=$(cpu_ticks "$name"); t1=$(date +%s.%N)
        awk -v l="$label" -v d="$dir" -v m="$mbit" -v c="$((c1 - c0))" -v t="$(echo "$t1 - $t0" | bc)" -v hz="$(getconf CLK_TCK)" \
            'BEGIN { printf "%-34s %-5s %8.1f Mbit/s   delay line CPU %5.1f %%\n", l, d, m, 100 * c / hz / t }'
    done
}

udpping_p50_us() {
    "$LAB" exec "$1" site -- "$UDPPING" client $HUB 7777 500 2000 |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["p50_us"])'
}

"$LAB" build
suffix=$(od -An -N2 -tx1 /dev/urandom | tr -d ' \n')
up "bd$suffix" --no-delayline
up "bz$suffix"
up "bt$suffix" --delay-ms 10
up "bs$suffix" --down-rate 100mbit --up-rate 100mbit --buffer-ms 50 --delay-ms 10
up "bl$suffix" --delay-ms 10   # idle probes only: its lateness histogram is not mixed with bulk runs

echo "== throughput, iperf3 single stream, ${SECONDS_PER_RUN} s per run"
throughput "bd$suffix" "unshaped, no delay line"
throughput "bz$suffix" "unshaped, delay line at 0 ms"
throughput "bt$suffix" "unshaped, delay line at 10 ms"
throughput "bs$suffix" "100 Mbit/s, 20 ms RTT (goodput 95.6)"

echo "== idle RTT p50 (udpping, 500 probes 2 ms apart per round), microseconds"
direct=() line=()
for round in 1 2 3 4 5; do
    direct+=("$(udpping_p50_us "bd$suffix")")
    line+=("$(udpping_p50_us "bz$suffix")")
done
python3 - "${direct[*]}" "${line[*]}" <<'EOF'
import statistics, sys
direct, line = ([float(v) for v in arg.split()] for arg in sys.argv[1:])
d, l = statistics.median(direct), statistics.median(line)
print(f"no delay line {direct}  median {d:.1f}")
print(f"delay line 0  {line}  median {l:.1f}")
print(f"own delay per pass: {(l - d) / 2:.1f} us")
EOF
udpping_p50_us "bl$suffix" >/dev/null
"$LAB" stats --name "bl$suffix" | python3 -c '
import json, sys
d = json.load(sys.stdin)
for k in ("up", "down"):
    print("release lateness at 10 ms, %s: %s us; mean write() %s us" % (k, d[k]["late_us"], d[k]["write_us_mean"]))'
