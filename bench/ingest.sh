#!/usr/bin/env bash
# Ingest benchmark: can one collector carry a region of 10,000 sites on this machine?
#
# Starts the real collector jar (archive on a temp SQLite file, committed before every ack) and
# runs the load generator (collector/src/test/java/io/linkprobe/collector/load) as a separate JVM:
#   (a) sustained ingest: N agents pushing fresh 60 s windows (~300 RTTs each) at an offered rate
#   (b) replay storm: N agents back from an outage push 60 spooled windows each, all at once
#   (b') the same storm as agents really return: each after a random part of its backoff cap (30 s)
#   (c) /metrics scrape time and heap after GC with every storm site registered
#   (r) first, retention in the middle: old raw day partitions are seeded before the collector
#       starts; its first retention run (a minute after the start) drops them whole while agents
#       push, and the ack latency of exactly that time is measured
# and prints each figure with its target and PASS/FAIL, plus how busy the machine was.
#
# usage: bench/ingest.sh [--quick] [--storm-only] [--postgres] [--retention-mib N] [--heap SIZE] [--keep]
#   --quick   CI mode: 200 agents for 20 s, a 2,000-agent storm, 3 x 100 MiB retention (3-4 minutes)
#   --storm-only  only the two replay storms and (c): the agents' return after an outage
#   --postgres  the archive on a PostgreSQL 15 this script starts (initdb + pg_ctl, as the postgres
#             user under root, a free port of 127.0.0.1, fsync and synchronous_commit on)
#   --retention-mib  size of each of the 3 seeded old days (default 1024; 100 with --quick)
#   --heap    the collector's -Xmx (default 1g: the heap target is 1 GiB)
#   --keep    keep the work directory (collector log, GC log, results) and print its path
# Exit status: 0 when every target passed, 1 when one failed, 2 on usage or setup errors.
set -euo pipefail

usage() { sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; }

mode=full heap=1g keep=0 storm_only=0 postgres=0 retention_mib=
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) mode=quick ;;
    --storm-only) storm_only=1 ;;
    --heap) [ $# -ge 2 ] || { usage >&2; exit 2; }; heap=$2; shift ;;
    --keep) keep=1 ;;
    --postgres) postgres=1 ;;
    --retention-mib) [ $# -ge 2 ] || { usage >&2; exit 2; }; retention_mib=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

if [ "$mode" = full ]; then
  steady_agents=1000 warmup=PT15S duration=PT60S storm_agents=10000 saturate=1
else
  steady_agents=200 warmup=PT10S duration=PT20S storm_agents=2000 saturate=0
fi
if [ -z "$retention_mib" ]; then
  if [ "$mode" = full ]; then retention_mib=1024; else retention_mib=100; fi
fi
retention_days=3
# The collector's first retention run comes a minute after its start: the phase outlasts it.
if [ "$mode" = full ]; then retention_duration=PT150S; else retention_duration=PT90S; fi
# Offered 5 % above the target, so that PASS means at least 5,000 results/s achieved.
rate=5250 targets=3 storm_windows=60 storm_batch=20
# The agents' collector.backoff_max: with full jitter, a returning agent's first push falls anywhere in it.
storm_spread=PT30S
# Targets (issue 4 item 7).
t_rate=5000 t_p99_ms=100 t_drain_s=180 t_scrape_s=2 t_heap_mib=1024

root=$(cd "$(dirname "$0")/.." && pwd)
jar=$root/collector/target/linkprobe-collector.jar
classes=$root/collector/target/test-classes
for tool in java jcmd curl awk gunzip python3; do
  command -v "$tool" >/dev/null || { echo "ingest.sh needs $tool on the PATH" >&2; exit 2; }
done

if [ ! -f "$jar" ] || [ ! -f "$classes/io/linkprobe/collector/load/LoadMain.class" ] \
    || [ -n "$(find "$root/pom.xml" "$root/common/pom.xml" "$root/collector/pom.xml" "$root/common/src" \
               "$root/collector/src" -newer "$jar" -print -quit)" ]; then
  echo "building (mvn -q -DskipTests package) ..." >&2
  (cd "$root" && mvn -q -DskipTests package) || { echo "build failed" >&2; exit 2; }
fi

work=$(mktemp -d /tmp/linkprobe-bench.XXXXXX)
results=$work/results.txt
collector_pid='' gen_pid='' pg_started=0
pg_bin=/usr/lib/postgresql/15/bin
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

stop_pid() { # stop_pid PID: TERM, wait up to 20 s, then KILL; only processes this script started
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  stop_pid "$gen_pid"
  stop_pid "$collector_pid"
  if [ "$pg_started" = 1 ]; then as_pg "$pg_bin/pg_ctl" -D "$work/pg/data" -m fast -w stop >/dev/null 2>&1 || true; fi
  if [ "$keep" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
# A step that fails under set -e is a setup error (2), never to be read as a missed target (1).
trap 'echo "ingest.sh: a setup step failed (line $LINENO)" >&2; exit 2' ERR
trap 'exit 130' INT TERM

val() { awk -v k="$1" '$1 == "result" && $2 == k { v = $3 } END { print (v == "" ? "nan" : v) }' "$results"; }
put() { echo "result $1 $2" >> "$results"; }
ticks=$(getconf CLK_TCK)
collector_cpu() { awk -v t="$ticks" '{ print ($14 + $15) / t }' "/proc/$collector_pid/stat"; }

# --- the region: N sites, a token each --------------------------------------------------------
gen_java=(java -Xmx1g -cp "$classes:$jar" io.linkprobe.collector.load.LoadMain)
gen() { "${gen_java[@]}" "$@"; }
gen prepare --dir "$work" --sites "$storm_agents"
# A config file names a real port (port 0 is refused there): one free now, on loopback.
http_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if [ "$postgres" = 1 ]; then
  [ -x "$pg_bin/initdb" ] || { echo "--postgres needs PostgreSQL 15 ($pg_bin/initdb; apt-get install postgresql)" >&2; exit 2; }
  pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  mkdir "$work/pg"
  if [ "$(id -u)" = 0 ]; then chmod 711 "$work"; chown postgres "$work/pg"; fi
  as_pg "$pg_bin/initdb" -D "$work/pg/data" -U linkprobe -A trust -E UTF8 --locale=C >/dev/null \
      || { echo "initdb failed" >&2; exit 2; }
  as_pg "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w -t 60 \
      -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c max_connections=100" start >/dev/null \
      || { echo "PostgreSQL did not start:" >&2; cat "$work/pg/server.log" >&2; exit 2; }
  pg_started=1
  as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U linkprobe linkprobe
  archive_url="jdbc:postgresql://127.0.0.1:$pg_port/linkprobe?user=linkprobe"
  archive_yml="{url: \"$archive_url\"}"
  archive_desc="PostgreSQL $archive_url"
  seed_at=(--url "$archive_url")
else
  archive_yml="{path: collector.db}"
  archive_desc="SQLite $work/collector.db"
  seed_at=(--archive "$work/collector.db")
fi
if [ "$storm_only" = 0 ]; then
  echo "seeding $retention_days raw day partitions past the raw retention, $retention_mib MiB each ..." >&2
  gen seed-retention "${seed_at[@]}" --days "$retention_days" --mib-per-day "$retention_mib" \
      || { echo "seeding old partitions failed" >&2; exit 2; }
fi
cat > "$work/collector.yml" <<EOF
http: {bind: 127.0.0.1, port: $http_port}
tokens_file: tokens
archive: $archive_yml
responder: {enabled: false}
EOF

# --- the collector ----------------------------------------------------------------------------
java -Xmx"$heap" -Xlog:gc:file="$work/gc.log" -jar "$jar" run --config "$work/collector.yml" \
    > "$work/collector.log" 2>&1 &
collector_pid=$!
url=''
for _ in $(seq 1 120); do
  url=$(grep -o 'listening on http://[0-9.]*:[0-9]*' "$work/collector.log" | sed 's/listening on //' || true)
  [ -n "$url" ] && break
  kill -0 "$collector_pid" 2>/dev/null || break
  sleep 0.5
done
if [ -z "$url" ]; then echo "the collector did not start:" >&2; cat "$work/collector.log" >&2; exit 2; fi
echo "collector pid $collector_pid at $url, heap $heap, archive $archive_desc" >&2
put run.load_average_at_start "$(cut -d' ' -f1 /proc/loadavg)"

run_phase() { # run_phase PHASE generator-args...: one generator JVM; it also watches the collector's CPU
  local phase=$1; shift
  # The JVM itself in the background (not the gen function, whose subshell would be the pid that
  # cleanup stops, leaving the JVM running).
  "${gen_java[@]}" "$@" --url "$url" --agents-file "$work/agents.tsv" --label "$phase" --watch-pid "$collector_pid" \
      >> "$results" &
  gen_pid=$!
  wait "$gen_pid" || { echo "the $phase generator failed" >&2; exit 2; }
  gen_pid=''
  put "$phase.load_average" "$(cut -d' ' -f1 /proc/loadavg)"
}

if [ "$storm_only" = 0 ]; then
echo "(r) retention in the middle: $steady_agents agents at $rate results/s while the collector's first retention run drops $retention_days days" >&2
run_phase retention steady --agents "$steady_agents" --targets "$targets" --rate "$rate" \
    --warmup PT5S --duration "$retention_duration" --retention-log "$work/collector.log"
echo "(a) sustained: $steady_agents agents, $rate results/s offered, $duration after $warmup warm-up" >&2
run_phase steady steady --agents "$steady_agents" --targets "$targets" --rate "$rate" \
    --warmup "$warmup" --duration "$duration"
fi
if [ "$saturate" = 1 ] && [ "$storm_only" = 0 ]; then
  echo "(a') saturation: $steady_agents agents pushing back-to-back (closed loop)" >&2
  run_phase saturate steady --agents "$steady_agents" --targets "$targets" --rate 0 --warmup PT10S --duration PT30S
fi
echo "(b) storm: $storm_agents agents x $storm_windows spooled windows, batches of $storm_batch" >&2
run_phase storm storm --agents "$storm_agents" --targets "$targets" --windows "$storm_windows" \
    --batch "$storm_batch" --deadline PT15M
echo "(b') storm with full jitter: the same agents, each first pushing at a random time within $storm_spread" >&2
run_phase jitter storm --agents "$storm_agents" --targets "$targets" --windows "$storm_windows" \
    --batch "$storm_batch" --spread "$storm_spread" --deadline PT15M

# --- (c) /metrics and heap with every site registered ------------------------------------------
echo "(c) /metrics scrapes and heap with $storm_agents sites" >&2
accept='application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'
for i in 0 1 2 3 4 5; do  # as Prometheus asks: OpenMetrics first, gzip; the first is a warm-up
  curl -sf -o "$work/metrics.gz" -w '%{time_total} %{size_download}\n' -H "Accept: $accept" \
      -H 'Accept-Encoding: gzip' "$url/metrics" > "$work/scrape.$i"
  [ "$i" = 0 ] && cpu0=$(collector_cpu)
done
gunzip -c "$work/metrics.gz" > "$work/metrics.txt"
put scrape.sites "$(awk '$1 == "linkprobe_collector_sites" { print $2 + 0 }' "$work/metrics.txt")"
put scrape.samples "$(grep -vc '^#' "$work/metrics.txt")"
put scrape.text_bytes "$(wc -c < "$work/metrics.txt")"
rm -f "$work/metrics.txt" "$work/metrics.gz"
put scrape.collector_cpu_seconds "$(awk -v a="$cpu0" -v b="$(collector_cpu)" 'BEGIN { printf "%.2f", (b - a) / 5 }')"
cat "$work"/scrape.[1-5] | sort -n > "$work/scrapes"
put scrape.median_seconds "$(awk 'NR == 3 { print $1 }' "$work/scrapes")"
put scrape.max_seconds "$(awk 'END { print $1 }' "$work/scrapes")"
put scrape.gzip_bytes "$(awk 'NR == 3 { print $2 }' "$work/scrapes")"
jcmd "$collector_pid" GC.run > /dev/null
put heap.used_after_gc_mib "$(jcmd "$collector_pid" GC.heap_info | awk '/heap/ && /used/ {
    for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); printf "%.0f", v / 1024; exit } }')"
put heap.rss_mib "$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$collector_pid/status")"
put run.archive_mib "$(du -sm "$work" | cut -f1)"

# --- report -----------------------------------------------------------------------------------
# verdict runs inside $(...), a subshell: a variable set there is lost, so a missed target is
# recorded in a file the report checks at the end.
failures=$work/failures
: > "$failures"
verdict() { # verdict VALUE OP TARGET
  if awk -v v="$1" -v t="$3" -v op="$2" 'BEGIN { if (v == "nan") exit 1;
      exit !((op == ">=" && v >= t) || (op == "<=" && v <= t) || (op == "<" && v < t) || (op == "==" && v == t)) }'; then
    echo PASS
  else
    echo x >> "$failures"; echo FAIL
  fi
}
row() { printf '  %-46s %16s   %-14s %s\n' "$1" "$2" "$3" "${4:-}"; }
fmt() { awk -v v="$1" -v d="${2:-0}" 'BEGIN { if (v == "nan") print "n/a"; else printf "%.*f", d, v }'; }
kinds() { # kinds PHASE: what the phase's errors were, when it had any
  awk -v p="$1" '$1 == "result" && index($2, p ".") == 1 && $3 + 0 > 0 {
      k = substr($2, length(p) + 2)
      if (k == "timeouts" || k == "connect_failures" || k == "connections_lost" || k ~ /^error_status_/) {
        sub(/^error_status_/, "HTTP ", k); out = out (out == "" ? "" : ", ") k " " $3 } }
    END { if (out != "") print "(" out ")" }' "$results"
}
cpu_line() { # the machine during a phase: who used the cores, and how long the collector waited for one
  printf '      %s\n' "cpu: collector $(fmt "$(val "$1.collector_cpu_cores")" 2) cores ($(fmt "$(val "$1.collector_cpu_ms_per_1000_results")") ms per 1,000 results), machine busy $(fmt "$(val "$1.machine_busy_cores")" 2) of $(nproc) cores; collector threads waited for a CPU $(fmt "$(awk -v w="$(val "$1.collector_cpu_wait_share")" 'BEGIN { print 100 * w }')")% of the time; load average $(val "$1.load_average")"
}

echo
echo "linkprobe ingest benchmark ($mode) — $(nproc) cores, collector -Xmx$heap, archive on $( [ "$postgres" = 1 ] && echo PostgreSQL 15 || echo SQLite), load average at start $(val run.load_average_at_start)"
row "figure" "value" "target" ""
if [ "$storm_only" = 0 ]; then
row "(a) sustained ingest, $(val steady.agents) agents" "$(fmt "$(val steady.results_per_second)") results/s" ">= $t_rate" \
    "$(verdict "$(val steady.results_per_second)" '>=' "$t_rate") (offered $rate)"
row "    RTT values ingested" "$(fmt "$(val steady.rtt_values_per_second)") /s" "" ""
row "    ack latency p50 / p90" "$(fmt "$(val steady.ack_p50_ms)" 1) / $(fmt "$(val steady.ack_p90_ms)" 1) ms" "" ""
row "    ack latency p99" "$(fmt "$(val steady.ack_p99_ms)" 1) ms" "< $t_p99_ms ms" \
    "$(verdict "$(val steady.ack_p99_ms)" '<' "$t_p99_ms") (p99.9 $(fmt "$(val steady.ack_p999_ms)") ms)"
row "    errors / late pushes" "$(val steady.errors) / $(val steady.late_pushes)" "0 errors" \
    "$(verdict "$(val steady.errors)" '==' 0) $(kinds steady)"
cpu_line steady
row "(r) retention: $(val retention.partitions_dropped) days of $retention_mib MiB dropped whole" \
    "$(fmt "$(val retention.drop_seconds)" 3) s" "" "(the collector's own figure, all days) while $(val retention.agents) agents pushed $(fmt "$(val retention.results_per_second)") results/s"
row "    ack latency p99 during the drop (+2 s)" "$(fmt "$(val retention.ack_p99_ms)" 1) ms" "< $t_p99_ms ms" \
    "$(verdict "$(val retention.ack_p99_ms)" '<' "$t_p99_ms") (p50 $(fmt "$(val retention.ack_p50_ms)" 1), max $(fmt "$(val retention.ack_max_ms)") ms; $(val retention.pushes_acked) pushes, $(val retention.errors) errors)"
fi
if [ "$saturate" = 1 ] && [ "$storm_only" = 0 ]; then
  row "(a') saturation, closed loop" "$(fmt "$(val saturate.results_per_second)") results/s" "" \
      "p99 ack $(fmt "$(val saturate.ack_p99_ms)") ms, 503s $(val saturate.retried_503)"
  cpu_line saturate
fi
row "(b) replay storm, $(val storm.agents) agents x $(val storm.windows_per_agent) windows" \
    "$(fmt "$(val storm.drain_seconds)" 1) s to drain" "<= $t_drain_s s" \
    "$(verdict "$(awk -v d="$(val storm.drain_seconds)" -v ok="$(val storm.drained)" 'BEGIN { print ok == 1 ? d : "nan" }')" '<=' "$t_drain_s")"
row "    results stored" "$(val storm.results)" "$((storm_agents * storm_windows))" \
    "$(verdict "$(val storm.results)" '==' "$((storm_agents * storm_windows))")"
row "    errors other than retried 429/503" "$(val storm.errors)" "0" "$(verdict "$(val storm.errors)" '==' 0) $(kinds storm)"
row "    retried 429 / 503" "$(val storm.retried_429) / $(val storm.retried_503)" "" ""
row "    drain rate" "$(fmt "$(val storm.results_per_second)") results/s" "" \
    "ack p99 $(fmt "$(awk -v v="$(val storm.ack_p99_ms)" 'BEGIN { print v / 1000 }')" 1) s (queued behind the storm)"
cpu_line storm
row "(b') the same storm, full jitter over $(val jitter.spread_seconds) s" \
    "$(fmt "$(val jitter.drain_seconds)" 1) s to drain" "<= $t_drain_s s" \
    "$(verdict "$(awk -v d="$(val jitter.drain_seconds)" -v ok="$(val jitter.drained)" 'BEGIN { print ok == 1 ? d : "nan" }')" '<=' "$t_drain_s")"
row "    results stored / errors" "$(val jitter.results) / $(val jitter.errors)" "$((storm_agents * storm_windows)) / 0" \
    "$(verdict "$(awk -v r="$(val jitter.results)" -v e="$(val jitter.errors)" -v t="$((storm_agents * storm_windows))" 'BEGIN { print (r == t && e == 0) ? 1 : 0 }')" '==' 1) $(kinds jitter)"
row "    each agent's spool delivered, p50 / p99 / max" \
    "$(fmt "$(val jitter.caught_up_p50_seconds)" 1) / $(fmt "$(val jitter.caught_up_p99_seconds)" 1) / $(fmt "$(val jitter.caught_up_max_seconds)" 1) s" "" \
    "after the collector's return; retried 503 $(val jitter.retried_503), ack p99 $(fmt "$(awk -v v="$(val jitter.ack_p99_ms)" 'BEGIN { print v / 1000 }')" 1) s"
cpu_line jitter
row "(c) /metrics scrape, $(val scrape.sites) sites (median of 5)" "$(fmt "$(val scrape.median_seconds)" 2) s" "<= $t_scrape_s s" \
    "$(verdict "$(val scrape.median_seconds)" '<=' "$t_scrape_s")"
row "    slowest scrape" "$(fmt "$(val scrape.max_seconds)" 2) s" "" \
    "$(val scrape.collector_cpu_seconds) CPU s each; $(val scrape.samples) samples, $(fmt "$(awk -v b="$(val scrape.text_bytes)" 'BEGIN { print b / 1048576 }')") MiB text, $(fmt "$(awk -v b="$(val scrape.gzip_bytes)" 'BEGIN { print b / 1048576 }')" 1) MiB gzip"
row "    collector heap after GC" "$(val heap.used_after_gc_mib) MiB" "<= $t_heap_mib MiB" \
    "$(verdict "$(val heap.used_after_gc_mib)" '<=' "$t_heap_mib")"
row "    collector RSS / archive on disk" "$(val heap.rss_mib) / $(val run.archive_mib) MiB" "" ""
row "    collector GC pauses, whole run" "$(awk '/Pause/ && !/Diagnostic/ { p = $NF; sub(/ms$/, "", p); n++;
    if (p + 0 > m) m = p + 0; if (/Pause Full/) f++ } END { printf "%d, max %.0f ms", n, m; if (f) printf ", %d full", f }' \
    "$work/gc.log")" "" "(pauses stretch when the collector waits for a CPU)"
[ "$mode" = quick ] && echo "  (quick mode: the storm, scrape and heap targets are for 10,000 sites; here $storm_agents)"
echo "  generator CPU: $(fmt "$(val steady.generator_cpu_cores)" 2) cores (steady), $(fmt "$(val storm.generator_cpu_cores)" 2) cores (storm); both JVMs share this machine"
if [ -s "$failures" ]; then
  echo "ingest benchmark: $(wc -l < "$failures") target(s) missed (FAIL above)" >&2
  exit 1
fi
exit 0
