#!/usr/bin/env bash
# Soak: the whole system for an hour (by default), then every result produced is counted against
# what the archive holds.
#
#   namespace C: the collector jar (embedded STAMP + throughput responder), ~200 simulated agents
#                (the load generator of bench/ingest.sh, pushing 60 s windows on schedule)
#   namespaces A1..A3: three real agent jars, each on its own veth to a bridge in C, that take
#                everything from the plan the collector serves from its fleet file (refreshed every
#                minute): STAMP continuously and connect probes towards the collector, a throughput
#                test both ways every 2 minutes and a video-readiness test (a 2-call ladder) every 10
#                on its embedded responder; they push to it
#   every 15 minutes the collector is restarted, every 20 minutes one of the agents (in turn)
#
# The jars run as they ship: through the launcher deploy/bin/linkprobe-{collector,agent} (its JVM
# options and MALLOC_ARENA_MAX, as the units, images and packages run them), plus native memory tracking (-XX:NativeMemoryTracking=summary). Every 10 minutes it prints the
# collector's heap after a full GC (jcmd GC.run, GC.heap_info), RSS, open file descriptors and
# threads, and the same (but heap) for the agents, and keeps each JVM's VM.native_memory summary
# (work dir nmt/); at the end: results produced vs stored, lost and duplicated, for the real agents
# (their spools' own count of every result they took in: AUTOINCREMENT ids) and the simulated ones
# (what their pushes had acked), the growth of each figure from the second report to the last
# (target: <= 5 %), and where the RSS of the longest-lived agent went between its first and last
# report (native memory by category, and RSS outside what the JVM accounts for: malloc arenas).
#
# usage: bench/soak.sh [--minutes N] [--every M] [--sim-agents N] [--keep]
#   --minutes  how long it runs (default 60)
#   --every    minutes between reports (default 10)
#   --sim-agents  simulated agents (default 200)
#   --keep     keep the work directory (logs, archive, spools) and print its path
# Needs root (network namespaces). Not part of CI. Exit status: 0 all targets met (nothing lost or
# duplicated, growth within 5 %), 1 a target missed, 2 usage or setup error.
set -euo pipefail

usage() { sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; }

minutes=60 every=10 sims=200 keep=0
collector_restart_min=15 agent_restart_min=20
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) [ $# -ge 2 ] || { usage >&2; exit 2; }; minutes=$2; shift ;;
    --every) [ $# -ge 2 ] || { usage >&2; exit 2; }; every=$2; shift ;;
    --sim-agents) [ $# -ge 2 ] || { usage >&2; exit 2; }; sims=$2; shift ;;
    --keep) keep=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
for n in "$minutes" "$every" "$sims"; do
  [[ $n =~ ^[0-9]+$ ]] && [ "$n" -gt 0 ] || { echo "soak.sh: '$n' is not a positive whole number" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "soak.sh needs root for its network namespaces" >&2; exit 2; }
for tool in java jcmd ip python3 sha256sum awk curl; do
  command -v "$tool" >/dev/null || { echo "soak.sh needs $tool on the PATH" >&2; exit 2; }
done

root=$(cd "$(dirname "$0")/.." && pwd)
# The jars run as they ship: through the launcher (deploy/bin/linkprobe-{collector,agent}, which
# the units, images and packages use, with its JVM options and MALLOC_ARENA_MAX), plus native
# memory tracking for the per-report summaries.
nmt="-XX:NativeMemoryTracking=summary"
cjar=$root/collector/target/linkprobe-collector.jar
ajar=$root/agent/target/linkprobe-agent.jar
classes=$root/collector/target/test-classes
if [ ! -f "$cjar" ] || [ ! -f "$ajar" ] || [ ! -f "$classes/io/linkprobe/collector/load/LoadMain.class" ]; then
  echo "building (mvn -q -DskipTests package) ..." >&2
  (cd "$root" && mvn -q -DskipTests package) || { echo "build failed" >&2; exit 2; }
fi

work=$(mktemp -d /tmp/linkprobe-soak.XXXXXX)
id=$$
ns_c=lpsoak-$id-c
ns_a=(lpsoak-$id-a1 lpsoak-$id-a2 lpsoak-$id-a3)
net=198.18.0
collector_pid='' gen_pid='' agent_pids=('' '' '')
started=$(date +%s)

pid_alive() { kill -0 "$1" 2>/dev/null; }
stop_pid() { # stop_pid PID [SIGNAL]: the signal (TERM), wait up to 30 s, then KILL; only our own processes
  local pid=$1 sig=${2:-TERM}
  [ -n "$pid" ] && pid_alive "$pid" || return 0
  kill "-$sig" "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do pid_alive "$pid" || { wait "$pid" 2>/dev/null || true; return 0; }; sleep 0.5; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  stop_pid "$gen_pid"
  for p in "${agent_pids[@]}"; do stop_pid "$p"; done
  stop_pid "$collector_pid"
  for ns in "${ns_a[@]}" "$ns_c"; do ip netns del "$ns" 2>/dev/null || true; done
  if [ "$keep" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the network: a bridge in C, one veth per agent namespace --------------------------------
ip netns add "$ns_c"
ip -n "$ns_c" link set lo up
ip -n "$ns_c" link add br0 type bridge
ip -n "$ns_c" addr add "$net.1/24" dev br0
ip -n "$ns_c" link set br0 up
for i in 0 1 2; do
  ns=${ns_a[$i]} host=lps$id-$i
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip link add "${host:0:15}" type veth peer name eth0 netns "$ns"
  ip link set "${host:0:15}" netns "$ns_c"
  ip -n "$ns_c" link set "${host:0:15}" master br0 up
  ip -n "$ns" addr add "$net.$((10 + i))/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" route add default via "$net.1"
done

# --- tokens and configs --------------------------------------------------------------------
gen() { java -Xmx512m -cp "$classes:$cjar" io.linkprobe.collector.load.LoadMain "$@"; }
gen prepare --dir "$work" --sites "$sims" > /dev/null
for i in 0 1 2; do
  site=soak-agent-$((i + 1)) token=soak-token-$id-$i dir=$work/agent$((i + 1))
  mkdir -p "$dir/state"
  printf '%s\n' "$token" > "$dir/token"
  printf '%s %s\n' "$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)" "$site" >> "$work/tokens"
  # Targets, labels, windows and throughput tests come from the plan (fleet.yml below).
  cat > "$dir/agent.yml" <<EOF
site: $site
state_dir: $dir/state
collector: {url: 'http://$net.1:9862', token_file: $dir/token, plan_refresh: 60s}
EOF
done
cat > "$work/fleet.yml" <<EOF
embedded_responder: {enabled: true, max_mbps: 1000}
defaults:
  targets: [{name: hub, host: $net.1, stamp_port: 862, connect_port: 9862}]
  window: 60s
  throughput: {enabled: true, every: 2m, duration: 3s, direction: both}
  video: {enabled: true, every: 10m, max_calls: 2}
sites:
  soak-agent-1: {labels: {region: soak, link: fttp}, expected: {down_mbps: 100, up_mbps: 20}}
  soak-agent-2: {labels: {region: soak, link: fttp}, expected: {down_mbps: 100, up_mbps: 20}}
  soak-agent-3: {labels: {region: soak, link: fttc}, expected: {down_mbps: 40, up_mbps: 10}}
EOF
cat > "$work/collector.yml" <<EOF
http: {bind: 0.0.0.0, port: 9862}
tokens_file: $work/tokens
fleet_file: $work/fleet.yml
archive: {path: $work/collector.db}
responder: {enabled: true, max_concurrent_tests: 1}
EOF
java -jar "$cjar" check-config --config "$work/collector.yml" > /dev/null \
  || { echo "soak.sh: the collector refuses its config (above)" >&2; exit 2; }
mkdir -p "$work/nmt"

# --- processes -----------------------------------------------------------------------------
start_collector() {
  # shellcheck disable=SC2086  # the options are words
  ip netns exec "$ns_c" env LINKPROBE_JAR="$cjar" LINKPROBE_JAVA_OPTS="$nmt" "$root/deploy/bin/linkprobe-collector" run --config "$work/collector.yml" \
      >> "$work/collector.log" 2>&1 &
  collector_pid=$!
  collector_since=$(date +%s)
  for _ in $(seq 1 240); do
    [ "$(ip netns exec "$ns_c" curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:9862/-/ready" 2>/dev/null)" = 200 ] && return 0
    pid_alive "$collector_pid" || break
    sleep 0.5
  done
  echo "the collector did not start; its log:" >&2; tail -20 "$work/collector.log" >&2; exit 2
}
start_agent() { # start_agent INDEX
  local i=$1
  # shellcheck disable=SC2086
  ip netns exec "${ns_a[$i]}" env LINKPROBE_JAR="$ajar" LINKPROBE_JAVA_OPTS="$nmt" "$root/deploy/bin/linkprobe-agent" run --config "$work/agent$((i + 1))/agent.yml" \
      >> "$work/agent$((i + 1))/agent.log" 2>&1 &
  agent_pids[$i]=$!
}

start_collector
echo "soak: collector pid $collector_pid in $ns_c, work dir $work" >&2
for i in 0 1 2; do start_agent "$i"; done
ip netns exec "$ns_c" java -Xmx512m -cp "$classes:$cjar" io.linkprobe.collector.load.LoadMain steady \
    --url "http://127.0.0.1:9862" --agents-file "$work/agents.tsv" --agents "$sims" --targets 3 \
    --rate "$(awk -v n="$sims" 'BEGIN { printf "%.2f", n * 3 / 60 }')" --warmup PT0S --duration "PT${minutes}M" \
    --label soak > "$work/generator.txt" 2> "$work/generator.log" &
gen_pid=$!

# --- reports ------------------------------------------------------------------------------
proc_status() { # proc_status PID KEY: a number from /proc/PID/status (kB for memory), 0 when gone
  local v=''
  [ -n "$1" ] && v=$(awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status" 2>/dev/null)
  echo "${v:-0}"
}
fds() { if [ -n "$1" ] && [ -d "/proc/$1/fd" ]; then ls "/proc/$1/fd" | wc -l; else echo 0; fi; }
heap_after_gc_mib() {
  ip netns exec "$ns_c" jcmd "$collector_pid" GC.run > /dev/null 2>&1 || true
  ip netns exec "$ns_c" jcmd "$collector_pid" GC.heap_info 2>/dev/null | awk '/heap/ && /used/ {
      for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); printf "%.1f", v / 1024; exit } }'
}
report() { # one line per report, also kept in $work/reports.tsv
  local t=$(( ($(date +%s) - started) / 60 )) line a_rss=0 a_fds=0 a_thr=0 p
  for p in "${agent_pids[@]}"; do
    a_rss=$((a_rss + $(proc_status "$p" VmRSS))); a_fds=$((a_fds + $(fds "$p"))); a_thr=$((a_thr + $(proc_status "$p" Threads)))
  done
  line=$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' "$t" "$(( $(date +%s) - collector_since ))" "$(heap_after_gc_mib)" \
      "$(( $(proc_status "$collector_pid" VmRSS) / 1024 ))" "$(fds "$collector_pid")" "$(proc_status "$collector_pid" Threads)" \
      "$((a_rss / 1024))" "$a_fds" "$a_thr")
  echo "$line" >> "$work/reports.tsv"
  # Where the memory is, per JVM, kept for the end: NAME-PID-MINUTE.txt
  { printf 'RSS %s kB\n' "$(proc_status "$collector_pid" VmRSS)"
    ip netns exec "$ns_c" jcmd "$collector_pid" VM.native_memory summary 2>&1; } > "$work/nmt/collector-$collector_pid-$t.txt" || true
  for i in 0 1 2; do
    [ -n "${agent_pids[$i]}" ] || continue
    { printf 'RSS %s kB\n' "$(proc_status "${agent_pids[$i]}" VmRSS)"
      ip netns exec "${ns_a[$i]}" jcmd "${agent_pids[$i]}" VM.native_memory summary 2>&1; } \
        > "$work/nmt/agent$((i + 1))-${agent_pids[$i]}-$t.txt" || true
  done
  echo "$line" | awk -F'\t' '{ printf "  %4d min  collector (up %4d s): heap after GC %7.1f MiB, RSS %4d MiB, %4d fds, %3d threads | 3 agents: RSS %4d MiB, %3d fds, %3d threads\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }'
}

echo "soak: $minutes min, $sims simulated agents + 3 real agents; collector restarted every ${collector_restart_min} min, an agent every ${agent_restart_min} min; a report every $every min" >&2
end=$((started + minutes * 60))
next_report=$((started + every * 60))
next_collector=$((started + collector_restart_min * 60))
next_agent=$((started + agent_restart_min * 60))
agent_turn=0 collector_restarts=0 agent_restarts=0
while :; do
  now=$(date +%s)
  [ "$now" -ge "$end" ] && break
  if [ "$now" -ge "$next_report" ]; then
    report
    next_report=$((next_report + every * 60))
  fi
  if [ "$now" -ge "$next_collector" ] && [ $((end - now)) -gt 60 ]; then
    stop_pid "$collector_pid"; start_collector; collector_restarts=$((collector_restarts + 1))
    echo "  $(( (now - started) / 60 )) min  collector restarted (pid $collector_pid)"
    next_collector=$((next_collector + collector_restart_min * 60))
  fi
  if [ "$now" -ge "$next_agent" ] && [ $((end - now)) -gt 60 ]; then
    stop_pid "${agent_pids[$agent_turn]}"; start_agent "$agent_turn"; agent_restarts=$((agent_restarts + 1))
    echo "  $(( (now - started) / 60 )) min  agent $((agent_turn + 1)) restarted (pid ${agent_pids[$agent_turn]})"
    agent_turn=$(( (agent_turn + 1) % 3 ))
    next_agent=$((next_agent + agent_restart_min * 60))
  fi
  sleep 5
done
[ "$(tail -1 "$work/reports.tsv" 2>/dev/null | cut -f1)" = "$minutes" ] || report

# --- the end: the simulators drain, the agents push what they hold, then everything stops ----
wait "$gen_pid" || { echo "the load generator failed; its log:" >&2; tail -20 "$work/generator.log" >&2; exit 2; }
gen_pid=''
sleep 75 # one more window ends and is pushed
for i in 0 1 2; do stop_pid "${agent_pids[$i]}"; agent_pids[$i]=''; done
stop_pid "$collector_pid"; collector_pid=''

gen count --archive "$work/collector.db" > "$work/stored.txt" || { echo "counting the archive failed" >&2; exit 2; }

rc=0
python3 - "$work" "$every" "$minutes" <<'EOF' || rc=$?
import sqlite3, sys, os, re, glob
work, every, minutes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
held = {}  # site -> (samples, distinct samples): LoadMain count, the archive's raw tier decoded
kinds = {}  # site -> "KIND=n,...": its distinct stored samples by kind
for line in open(os.path.join(work, "stored.txt")):
    f = line.split()
    if len(f) >= 8 and f[0] == "site":
        held[f[1]] = (int(f[5]), int(f[7]))
        if len(f) >= 10:
            kinds[f[1]] = f[9]
failed = False
def distinct(sites, inside):
    rows = stored = 0
    for site, (n, d) in held.items():
        if (site in sites) == inside:
            rows, stored = rows + n, stored + d
    return rows, stored
print("\nresults produced vs stored")
real_sites = []
for i in (1, 2, 3):
    site = "soak-agent-%d" % i
    real_sites.append(site)
    spool = sqlite3.connect(os.path.join(work, "agent%d" % i, "state", "spool.db"))
    row = spool.execute("SELECT seq FROM sqlite_sequence WHERE name = 'samples'").fetchone()
    produced = row[0] if row else 0
    pending = spool.execute("SELECT COUNT(*) FROM samples").fetchone()[0]
    rows, stored = distinct({site}, True)
    lost, dup = produced - pending - stored, rows - stored
    failed |= lost != 0 or dup != 0
    print("  %-14s produced %6d  stored %6d  still spooled %3d  -> lost %d, duplicated %d   (stored by kind: %s)"
          % (site, produced, stored, pending, lost, dup, kinds.get(site, "?")))
    # Scheduled tests ran: a throughput test every 2 min, a video test every 10 min (first within 10).
    if minutes >= 15:
        have = dict(kv.split("=") for kv in kinds.get(site, "").split(",") if "=" in kv)
        for kind in ("THROUGHPUT", "VIDEO"):
            if int(have.get(kind, 0)) == 0:
                failed = True
                print("  %-14s FAIL: no %s result stored in %d minutes" % (site, kind.lower(), minutes))
sim = {}
for line in open(os.path.join(work, "generator.txt")):
    f = line.split()
    if len(f) == 3 and f[0] == "result":
        sim[f[1]] = f[2]
acked = int(float(sim.get("soak.samples", "0")))
rows, stored = distinct(set(real_sites), False)
lost, dup = acked - stored, rows - stored
failed |= lost != 0 or dup != 0
print("  %-14s acked    %6d  stored %6d  (generator errors %s, retried 429/503 %s/%s, connections lost %s)"
      "  -> lost %d, duplicated %d" % ("%s simulated" % sim.get("soak.agents", "?"), acked, stored, sim.get("soak.errors", "?"),
      sim.get("soak.retried_429", "?"), sim.get("soak.retried_503", "?"), sim.get("soak.connections_lost", "?"), lost, dup))
reports = [l.rstrip("\n").split("\t") for l in open(os.path.join(work, "reports.tsv"))]
if len(reports) >= 2:
    second, last = reports[1], reports[-1]
    print("\ngrowth from the second report (%s min) to the last (%s min); target <= 5 %%" % (second[0], last[0]))
    for col, name in ((2, "collector heap after GC"), (3, "collector RSS"), (4, "collector fds"), (5, "collector threads"),
                      (6, "agents' RSS"), (7, "agents' fds"), (8, "agents' threads")):
        a, b = float(second[col] or 0), float(last[col] or 0)
        g = (b - a) / a * 100 if a else 0.0
        ok = g <= 5.0
        failed |= not ok
        print("  %-26s %8s -> %8s  %+6.1f %%  %s" % (name, second[col], last[col], g, "PASS" if ok else "FAIL"))
else:
    print("\n(fewer than two reports: run longer than 2 x --every for the growth figures)")

# Where memory went in each JVM that ran unrestarted across reports: its first report against its last.
def nmt(path):
    text = open(path).read()
    cats = {m.group(1).strip(): int(m.group(2)) for m in re.finditer(
        r"^-\s+([A-Za-z][A-Za-z .]*?) \(reserved=\d+KB, committed=(\d+)KB\)", text, re.M)}
    total = re.search(r"Total: reserved=\d+KB, committed=(\d+)KB", text)
    rss = re.search(r"^RSS (\d+) kB", text, re.M)
    return cats, int(total.group(1)) if total else 0, int(rss.group(1)) if rss else 0
def minute(path):
    return int(path.rsplit("-", 1)[1][:-4])
runs = {}
for f in glob.glob(os.path.join(work, "nmt", "*-*-*.txt")):
    runs.setdefault(tuple(os.path.basename(f).split("-")[:2]), []).append(f)
for (name, pid), files in sorted(runs.items()):
    files.sort(key=minute)
    if len(files) < 2:
        continue
    (a, ta, ra), (b, tb, rb) = nmt(files[0]), nmt(files[-1])
    print("\n%s (pid %s) from %d to %d min, KiB: RSS, NMT committed by category, and RSS beyond NMT (malloc arenas, ...)"
          % (name, pid, minute(files[0]), minute(files[-1])))
    print("  %-28s %9d -> %9d  %+8d" % ("RSS", ra, rb, rb - ra))
    print("  %-28s %9d -> %9d  %+8d" % ("NMT committed, total", ta, tb, tb - ta))
    print("  %-28s %9d -> %9d  %+8d" % ("RSS - NMT committed", ra - ta, rb - tb, (rb - tb) - (ra - ta)))
    for cat in sorted(set(a) | set(b), key=lambda c: -abs(b.get(c, 0) - a.get(c, 0)))[:6]:
        print("  %-28s %9d -> %9d  %+8d" % (cat, a.get(cat, 0), b.get(cat, 0), b.get(cat, 0) - a.get(cat, 0)))
sys.exit(1 if failed else 0)
EOF
echo "collector restarted $collector_restarts times, agents $agent_restarts times; $(grep -c ' ERROR ' "$work/collector.log" || true) ERROR lines in the collector's log"
exit "$rc"
