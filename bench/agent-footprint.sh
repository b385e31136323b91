#!/usr/bin/env bash
# Agent footprint: memory, CPU, threads and start-up of the real agent on a gateway's workload,
# before and after the launcher, with a Go prober (irtt) in the same run for scale.
#
# Each agent probes one target by STAMP at the default rate (~5 probes/s, Poisson), connect-probes
# it every 10 s, closes a 60 s window and pushes every minute. Two situations, one after the other:
#   up    the collector runs (its embedded responder is the target) and acks every push
#   down  no collector listens (pushes fail, results are spooled); a standalone responder answers
# In each, these run side by side on loopback, each with its own site, token and spool:
#   java -jar    java -jar linkprobe-agent.jar run ...            (the plain command)
#   unit-opts    java <the JVM options the systemd unit had> -jar ...   (before the launcher)
#                (both on --before-jar when given: e.g. the jar of the commit before the footprint work)
#   launcher     deploy/bin/linkprobe-agent run ...  with a class-data archive made as the
#                package makes it (linkprobe-agent --create-class-archive)
#   irtt         irtt client -i 200ms against irtt server (Go; a blackbox_exporter-like prober)
# After a warm-up (the first window, push and JIT), it measures over the steady period:
#   RSS      VmRSS sampled every 5 s: mean and max
#   PSS      /proc/PID/smaps_rollup at the end (pages shared with the other JVMs of the run count
#            partly, so PSS here is below what one agent alone on a gateway shows)
#   CPU      utime+stime over the period / its length, % of one core
#   threads, open fds at the end; start-up = launch to the agent's "running" line (ready, first
#   probe sent), started one at a time
#
# usage: bench/agent-footprint.sh [--quick] [--warmup S] [--measure S] [--before-jar JAR] [--keep]
#                                 [--classlist FILE] [--try NAME='JVM OPTIONS']...
#   --quick      CI mode: 60 s warm-up, 60 s measured, the two situations side by side instead of
#                one after the other (~3 min in all; the machine then carries both at once)
#   --warmup S   seconds before measuring (default 120)
#   --measure S  seconds measured (default 180)
#   --before-jar JAR  the agent jar the two "before" variants run (default: this checkout's)
#   --keep       keep the work directory (logs, configs) and print its path
#   --classlist FILE  also write the class list the launcher's archive is made from (a run of
#                the launcher with -XX:DumpLoadedClassList in the "up" situation), e.g.
#                deploy/cds/linkprobe-agent.classlist
#   --try NAME='OPTS'  one more variant: the launcher (with its archive) and LINKPROBE_JAVA_OPTS=OPTS,
#                side by side with the others, to measure an option before shipping it; repeatable
#   --only-launcher  leave out the two "before" variants (with --try: fewer JVMs, less noise)
# Exit status: 0 when the launcher met both targets (RSS max <= 64 MiB, CPU <= 0.5 %) in both
# situations, 1 when it missed one, 2 on usage or setup errors (an agent that did not probe or
# push is a setup error, not a figure).
set -euo pipefail

usage() { sed -n '2,39p' "$0" | sed 's/^# \{0,1\}//'; }

warmup=120 measure=180 keep=0 classlist_out='' before_jar='' parallel=0 only_launcher=0
declare -A try_opts
tries=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) warmup=60 measure=60 parallel=1 ;;
    --warmup) [ $# -ge 2 ] || { usage >&2; exit 2; }; warmup=$2; shift ;;
    --measure) [ $# -ge 2 ] || { usage >&2; exit 2; }; measure=$2; shift ;;
    --keep) keep=1 ;;
    --before-jar) [ $# -ge 2 ] || { usage >&2; exit 2; }; before_jar=$(realpath "$2"); shift ;;
    --classlist) [ $# -ge 2 ] || { usage >&2; exit 2; }; classlist_out=$(realpath -m "$2"); shift ;;
    --try)
      [ $# -ge 2 ] || { usage >&2; exit 2; }
      [[ $2 =~ ^([a-z0-9-]{1,20})=(.*)$ ]] || { echo "--try takes NAME='JVM OPTIONS' (NAME: a-z, 0-9, -; up to 20), not '$2'" >&2; exit 2; }
      [ -z "${try_opts[try-${BASH_REMATCH[1]}]+x}" ] || { echo "--try ${BASH_REMATCH[1]} is given twice" >&2; exit 2; }
      tries+=("try-${BASH_REMATCH[1]}"); try_opts[try-${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}; shift ;;
    --only-launcher) only_launcher=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
# Targets (issue 13): the launcher's steady RSS and CPU.
t_rss_mib=64 t_cpu_pct=0.5
# The JVM options of deploy/systemd/linkprobe-agent.service before the launcher replaced them.
unit_opts="-Xms16m -Xmx64m -XX:+UseSerialGC -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=64m -XX:+ExitOnOutOfMemoryError"

root=$(cd "$(dirname "$0")/.." && pwd)
agent_jar=$root/agent/target/linkprobe-agent.jar
collector_jar=$root/collector/target/linkprobe-collector.jar
launcher=$root/deploy/bin/linkprobe-agent
for tool in java curl awk python3 irtt sha256sum; do
  command -v "$tool" >/dev/null || { echo "agent-footprint.sh needs $tool on the PATH (irtt: apt-get install irtt)" >&2; exit 2; }
done
if [ ! -f "$agent_jar" ] || [ ! -f "$collector_jar" ] \
    || [ -n "$(find "$root/pom.xml" "$root"/{common,agent,collector}/pom.xml "$root"/{common,agent,collector}/src \
               -newer "$agent_jar" -print -quit)" ]; then
  echo "building (mvn -q -DskipTests package) ..." >&2
  (cd "$root" && mvn -q -DskipTests package) || { echo "build failed" >&2; exit 2; }
fi

before_jar=${before_jar:-$agent_jar}
[ -f "$before_jar" ] || { echo "--before-jar $before_jar: no such file" >&2; exit 2; }

work=$(mktemp -d /tmp/linkprobe-footprint.XXXXXX)
pids=()
stop_pid() { # TERM, wait up to 20 s, then KILL; only processes this script started
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }; sleep 0.5; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
stop_all() { local p; for p in "${pids[@]}"; do stop_pid "$p"; done; pids=(); }
cleanup() {
  stop_all
  if [ "$keep" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
die() { echo "agent-footprint.sh: $*" >&2; exit 2; }

free_port() { # free_port tcp|udp
  python3 -c 'import socket,sys; s=socket.socket(socket.AF_INET, socket.SOCK_STREAM if sys.argv[1]=="tcp" else socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' "$1"
}
wait_for_line() { # wait_for_line FILE PATTERN SECONDS PID: 0 when the line appears
  local deadline=$((SECONDS + $3))
  while [ $SECONDS -lt $deadline ]; do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    kill -0 "$4" 2>/dev/null || return 1
    sleep 0.02
  done
  return 1
}
now_ms() { date +%s%3N; }
ticks_per_s=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

variants=(java-jar unit-opts launcher)
[ "$only_launcher" = 1 ] && variants=(launcher)
variants+=("${tries[@]}")
token_of() { printf 'lp-footprint-token-%s' "$1"; }
sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

echo "== class-data archive for the launcher (as the Debian package makes it on install)"
t0=$(now_ms)
LINKPROBE_CLASS_ARCHIVE=$work/linkprobe-agent.jsa "$launcher" --create-class-archive >/dev/null \
  || die "linkprobe-agent --create-class-archive failed"
echo "   made in $(( $(now_ms) - t0 )) ms, $(( $(stat -c %s "$work/linkprobe-agent.jsa") / 1048576 )) MiB"

write_agent_config() { # write_agent_config VARIANT DIR COLLECTOR_PORT STAMP_PORT THROUGHPUT_PORT
  local v=$1 dir=$2
  mkdir -p "$dir"
  token_of "$v" > "$dir/agent.token"
  cat > "$dir/agent.yml" <<EOF
site: lp-$v
state_dir: $dir
collector:
  url: http://127.0.0.1:$3
  token_file: $dir/agent.token
labels: {region: bench, link: fttp}
expected: {down_mbps: 100, up_mbps: 20}
window: 60s
targets:
  - {name: hub, host: 127.0.0.1, stamp_port: $4, throughput_port: $5, connect_port: $3}
spool:
  path: $dir/spool.db
EOF
}

declare -A rss_mean rss_max pss cpu threads fds startup note
run_situation() { # run_situation up|down
  local s=$1
  local dir=$work/$s collector_port stamp_port tput_port irtt_port v pid t_start
  mkdir -p "$dir"
  collector_port=$(free_port tcp)
  if [ "$s" = up ]; then
    : > "$dir/tokens"
    for v in "${variants[@]}" classlist; do printf '%s lp-%s\n' "$(sha "$(token_of "$v")")" "$v" >> "$dir/tokens"; done
    stamp_port=$(free_port udp) tput_port=$(free_port tcp)
    cat > "$dir/collector.yml" <<EOF
http: {bind: 127.0.0.1, port: $collector_port}
tokens_file: $dir/tokens
archive: {path: $dir/archive.db, retention: 1d}
series_ttl: 1h
responder: {enabled: true, stamp_port: $stamp_port, throughput_port: $tput_port, max_concurrent_tests: 1}
EOF
    java -Xmx256m -jar "$collector_jar" run --config "$dir/collector.yml" > "$dir/collector.log" 2>&1 &
    pids+=($!)
    wait_for_line "$dir/collector.log" "listening on" 60 "$!" || { cat "$dir/collector.log" >&2; die "the collector did not start"; }
  else
    # Nothing listens on collector_port: every push fails and results are spooled.
    stamp_port=$(free_port udp) tput_port=$(free_port tcp)
    java -Xmx64m -jar "$agent_jar" responder --bind 127.0.0.1 --stamp-port "$stamp_port" \
      --throughput-port "$tput_port" > "$dir/responder.log" 2>&1 &
    pids+=($!)
    sleep 3
    kill -0 "$!" 2>/dev/null || { cat "$dir/responder.log" >&2; die "the responder did not start"; }
  fi
  irtt_port=$(free_port udp)
  irtt server -b "127.0.0.1:$irtt_port" > "$dir/irtt-server.log" 2>&1 &
  pids+=($!)

  declare -A pid_of
  for v in "${variants[@]}"; do
    write_agent_config "$v" "$dir/$v" "$collector_port" "$stamp_port" "$tput_port"
    t_start=$(now_ms)
    case $v in
      java-jar) java -jar "$before_jar" run --config "$dir/$v/agent.yml" > "$dir/$v/log" 2>&1 & ;;
      # shellcheck disable=SC2086
      unit-opts) java $unit_opts -jar "$before_jar" run --config "$dir/$v/agent.yml" > "$dir/$v/log" 2>&1 & ;;
      launcher) LINKPROBE_CLASS_ARCHIVE=$work/linkprobe-agent.jsa "$launcher" run --config "$dir/$v/agent.yml" > "$dir/$v/log" 2>&1 & ;;
      try-*) LINKPROBE_CLASS_ARCHIVE=$work/linkprobe-agent.jsa LINKPROBE_JAVA_OPTS=${try_opts[$v]} \
               "$launcher" run --config "$dir/$v/agent.yml" > "$dir/$v/log" 2>&1 & ;;
    esac
    pid=$!
    pids+=("$pid")
    pid_of[$v]=$pid
    wait_for_line "$dir/$v/log" "Agent for site '.*' running" 60 "$pid" || { cat "$dir/$v/log" >&2; die "agent $v did not start"; }
    startup[$s.$v]=$(( $(now_ms) - t_start ))
  done
  if [ "$s" = up ] && [ -n "$classlist_out" ]; then
    write_agent_config classlist "$dir/classlist" "$collector_port" "$stamp_port" "$tput_port"
    LINKPROBE_CLASS_ARCHIVE=/nonexistent LINKPROBE_JAVA_OPTS="-XX:DumpLoadedClassList=$dir/classlist/classes.lst" \
      "$launcher" run --config "$dir/classlist/agent.yml" > "$dir/classlist/log" 2>&1 &
    pids+=($!)
    pid_of[classlist]=$!
  fi
  irtt client -i 200ms -d "$((warmup + measure + 60))s" -Q "127.0.0.1:$irtt_port" > "$dir/irtt-client.log" 2>&1 &
  pids+=($!)
  pid_of[irtt]=$!
  startup[$s.irtt]=-

  echo "== $s: warm-up ${warmup} s, then ${measure} s measured (started $(date -u +%H:%M:%S) UTC)"
  sleep "$warmup" & wait $!  # a wait, unlike a foreground sleep, lets a TERM in at once
  local who=("${variants[@]}" irtt) t0 t1 w sum n max r
  declare -A c0 rsum rn rmax
  for w in "${who[@]}"; do
    kill -0 "${pid_of[$w]}" 2>/dev/null || { tail -20 "$dir/$w/log" "$dir/irtt-client.log" 2>/dev/null >&2; die "$w stopped during the warm-up"; }
    c0[$w]=$(cpu_ticks "${pid_of[$w]}"); rsum[$w]=0; rn[$w]=0; rmax[$w]=0
  done
  local load0; load0=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(now_ms)
  while [ $(( $(now_ms) - t0 )) -lt $((measure * 1000)) ]; do
    for w in "${who[@]}"; do
      r=$(rss_kib "${pid_of[$w]}") || die "$w stopped while measured"
      rsum[$w]=$(( ${rsum[$w]} + r )); rn[$w]=$(( ${rn[$w]} + 1 ))
      [ "$r" -gt "${rmax[$w]}" ] && rmax[$w]=$r
    done
    sleep 5
  done
  t1=$(now_ms)
  for w in "${who[@]}"; do
    pid=${pid_of[$w]}
    cpu[$s.$w]=$(awk -v d=$(( $(cpu_ticks "$pid") - ${c0[$w]} )) -v t="$ticks_per_s" -v ms=$((t1 - t0)) \
      'BEGIN { printf "%.2f", d / t / (ms / 1000) * 100 }')
    rss_mean[$s.$w]=$(awk -v s="${rsum[$w]}" -v n="${rn[$w]}" 'BEGIN { printf "%.1f", s / n / 1024 }')
    rss_max[$s.$w]=$(awk -v m="${rmax[$w]}" 'BEGIN { printf "%.1f", m / 1024 }')
    pss[$s.$w]=$(awk '/^Pss:/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/smaps_rollup")
    threads[$s.$w]=$(awk '/^Threads:/ { print $2 }' "/proc/$pid/status")
    fds[$s.$w]=$(find "/proc/$pid/fd" -mindepth 1 2>/dev/null | wc -l)
  done
  note[$s]="load average $load0 -> $(cut -d' ' -f1 /proc/loadavg) on $(nproc) CPUs"

  # The figures count only if every agent did its work.
  for v in "${variants[@]}"; do
    if grep -q "level=error" "$dir/$v/log"; then
      grep "level=error" "$dir/$v/log" | head -5 >&2
      [ "$s" = up ] && die "agent $v logged errors"
    fi
  done
  if [ "$s" = up ]; then
    local metrics; metrics=$(curl -fsS "http://127.0.0.1:$collector_port/metrics") || die "cannot read the collector's /metrics"
    for v in "${variants[@]}"; do
      echo "$metrics" | grep -q "^linkprobe_agent_last_push_timestamp_seconds{site=\"lp-$v\"" \
        || die "agent $v never pushed to the collector"
      echo "$metrics" | awk -v site="lp-$v" 'index($0, "linkprobe_rtt_seconds_count{site=\"" site "\"") == 1 && $2 > 0 { ok = 1 } END { exit !ok }' \
        || die "agent $v has no RTT on the collector"
    done
    # How many of the launcher agent's classes came from its archive (a stale class list shows here).
    note[classes]=$(jcmd "${pid_of[launcher]}" VM.metaspace 2>/dev/null | sed -n 's/^Total Usage - [0-9]* loaders, \([0-9]*\) classes (\([0-9]*\) shared).*/\2 of its \1 classes came from the archive/p')
  else
    for v in "${variants[@]}"; do
      grep -q "Cannot reach the collector" "$dir/$v/log" || die "agent $v never tried to push"
    done
  fi
  if [ "$s" = up ] && [ -n "$classlist_out" ]; then
    stop_pid "${pid_of[classlist]}"
    [ -s "$dir/classlist/classes.lst" ] || die "no class list was written"
    cp "$dir/classlist/classes.lst" "$classlist_out"
    echo "   wrote the class list $classlist_out ($(grep -vc '^#' "$classlist_out") classes)"
  fi
  stop_all
}

results=(rss_mean rss_max pss cpu threads fds startup note)
dump_results() { # the figures a situation run in a subshell measured, as assignments to source
  local name key
  for name in "${results[@]}"; do
    declare -n ref=$name
    for key in "${!ref[@]}"; do printf '%s[%q]=%q\n' "$name" "$key" "${ref[$key]}"; done
    unset -n ref
  done
}
if [ "$parallel" = 1 ]; then
  # Each situation in a subshell that stops what it started however it ends; the figures come back
  # through a file.
  subs=()
  for s in up down; do
    ( pids=(); trap stop_all EXIT; trap 'exit 130' INT TERM
      run_situation "$s"; dump_results > "$work/$s.results" ) &
    subs+=($!)
    pids+=($!)
  done
  for p in "${subs[@]}"; do
    rc=0; wait "$p" || rc=$?
    [ "$rc" = 0 ] || exit "$rc"
  done
  pids=()
  for s in up down; do
    # shellcheck disable=SC1090
    . "$work/$s.results"
  done
else
  run_situation up
  run_situation down
fi

label() { case $1 in java-jar) echo "java -jar (before)" ;; unit-opts) echo "unit's JVM options (before)" ;;
  launcher) echo "launcher (after)" ;; irtt) echo "irtt client (Go)" ;; try-*) echo "launcher + ${1#try-}" ;; esac; }
echo
echo "Agent footprint, steady ${measure} s after ${warmup} s, one target at ~5 probes/s, pushes every 60 s"
echo "$(java -version 2>&1 | sed -n 1p); $(irtt version 2>/dev/null | sed -n 1p); $(nproc) CPUs"
echo "before variants: $before_jar; launcher: $agent_jar"
printf '%-6s %-28s %17s %8s %7s %8s %5s %11s\n' situation variant "RSS MiB mean/max" "PSS MiB" "CPU %" threads fds "start-up ms"
for s in up down; do
  for w in "${variants[@]}" irtt; do
    printf '%-6s %-28s %8s / %6s %8s %7s %8s %5s %11s\n' "$s" "$(label "$w")" "${rss_mean[$s.$w]}" "${rss_max[$s.$w]}" \
      "${pss[$s.$w]}" "${cpu[$s.$w]}" "${threads[$s.$w]}" "${fds[$s.$w]}" "${startup[$s.$w]}"
  done
done
echo "up: ${note[up]}; down: ${note[down]}"
[ -n "${note[classes]:-}" ] && echo "launcher: ${note[classes]}"
for v in "${tries[@]}"; do echo "launcher + ${v#try-}: LINKPROBE_JAVA_OPTS='${try_opts[$v]}'"; done

status=0
for s in up down; do
  verdict=PASS
  awk -v r="${rss_max[$s.launcher]}" -v c="${cpu[$s.launcher]}" -v tr="$t_rss_mib" -v tc="$t_cpu_pct" \
    'BEGIN { exit !(r <= tr && c <= tc) }' || { verdict=MISS; status=1; }
  echo "target ($s): launcher RSS max ${rss_max[$s.launcher]} MiB (<= $t_rss_mib), CPU ${cpu[$s.launcher]} % (<= $t_cpu_pct) ... $verdict"
done
exit $status
