#!/usr/bin/env bash
# The link lab: a copper line you can hold in your hand.
#
#   site ns               router ns                                         hub ns
#   eth0 198.18.1.2 ── veth ── site 198.18.1.1        hub 198.19.1.1 ── veth ── eth0 198.19.1.2
#                              │  ▲ tbf (down)         ▲ tbf (up)  │
#                iif site ─▶ tsite ─▶ delayline (up) ─▶ thub ──────┘        (and the mirror image)
#
# The router carries every impairment, as the DSLAM/modem does: packets forwarded from one side
# are policy-routed (by incoming interface) into a TUN device, the userspace delay line holds them
# (delay, jitter, loss per direction) and writes them to the other TUN, from where the kernel routes
# them out of the far veth, whose egress tbf is the bottleneck with its (bloated) queue. Shaping in
# the router, not at an endpoint, is what lets the queue build: TCP small queues at a sending host
# keep a local shaper's queue short and hide bufferbloat.
#
# Usage: see lab/README.md, or run without arguments.
set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD_DIR=$LAB_DIR/build
STATE_ROOT=${LINKPROBE_LAB_STATE:-/run/linkprobe-lab}
SITE_ADDR=198.18.1.2 SITE_GW=198.18.1.1
HUB_ADDR=198.19.1.2 HUB_GW=198.19.1.1
MTU=1500

usage() {
    cat >&2 <<'EOF'
usage: lab.sh up [--name N] [--down-rate R] [--up-rate R] [--buffer-ms MS]
                 [--buffer-down-ms MS] [--buffer-up-ms MS]
                 [--delay-ms MS] [--delay-down-ms MS] [--delay-up-ms MS]
                 [--jitter-ms MS] [--jitter-down-ms MS] [--jitter-up-ms MS]
                 [--loss-down PCT] [--loss-up PCT] [--seed N] [--cc ALGORITHM|default]
                 [--no-delayline] [--owner-pid PID]
       lab.sh change --name N [--down-rate R] [--up-rate R] [--buffer-ms MS] [--buffer-down-ms MS]
                     [--buffer-up-ms MS] [--delay-ms MS] [--delay-down-ms MS] [--delay-up-ms MS]
                                     switch a running lab's line (rates, buffers, delays)
       lab.sh down --name N          remove the lab (idempotent)
       lab.sh exec N site|hub|router -- CMD...
       lab.sh stats --name N         delay line counters (JSON)
       lab.sh show --name N          addresses, qdisc and delay line counters
       lab.sh list | gc | build       (build: gcc the delay line and udpping into lab/build/)
rates: 0 or none (unshaped), or a number with bit|kbit|mbit|gbit, e.g. 10mbit
EOF
    exit 2
}

die() { echo "lab.sh: $*" >&2; exit 1; }

# --- helpers -------------------------------------------------------------------------------------

rate_bps() {   # 10mbit -> 10000000; 0/none -> 0
    local v=${1,,}
    [[ $v == none || $v == off || $v == 0 ]] && { echo 0; return; }
    [[ $v =~ ^([0-9]+(\.[0-9]+)?)(bit|kbit|mbit|gbit)$ ]] || die "bad rate '$1' (e.g. 10mbit)"
    local mult
    case ${BASH_REMATCH[3]} in bit) mult=1 ;; kbit) mult=1000 ;; mbit) mult=1000000 ;; gbit) mult=1000000000 ;; esac
    awk -v n="${BASH_REMATCH[1]}" -v m="$mult" 'BEGIN { printf "%d\n", n * m }'
}

ms_to_us() {
    [[ $1 =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "bad milliseconds '$1'"
    awk -v n="$1" 'BEGIN { printf "%d\n", n * 1000 }'
}

check_percent() {
    [[ $1 =~ ^[0-9]+(\.[0-9]+)?$ ]] && awk -v n="$1" 'BEGIN { exit !(n <= 100) }' || die "bad loss percentage '$1'"
}

pid_alive() {   # a zombie is dead for our purposes
    local state
    state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
    state=${state%% *}
    [[ $state != Z ]]
}

stop_pid() {    # TERM, wait up to 2 s, then KILL; by pid only
    local pid=$1 i
    pid_alive "$pid" || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 40; i++)); do pid_alive "$pid" || return 0; sleep 0.05; done
    kill -KILL "$pid" 2>/dev/null || true
}

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

build() {   # atomic: parallel test runs may build at the same time
    local program src bin
    for program in delayline udpping; do
        src=$LAB_DIR/$program.c bin=$BUILD_DIR/$program
        [[ -x $bin && $bin -nt $src ]] && continue
        command -v gcc >/dev/null || die "gcc not found (needed to build the $program)"
        mkdir -p "$BUILD_DIR"
        gcc -O2 -std=c11 -Wall -Wextra -Werror -o "$bin.$$" "$src"
        mv -f "$bin.$$" "$bin"
    done
}

check_name() { [[ $1 =~ ^[a-z][a-z0-9]{0,9}$ ]] || die "bad lab name '$1' (a-z0-9, at most 10, letter first)"; }

# --- down ----------------------------------------------------------------------------------------

teardown() {
    local name=$1 dir=$STATE_ROOT/$1 ns pid
    if [[ -f $dir/delayline.pid ]]; then stop_pid "$(cat "$dir/delayline.pid")"; fi
    for ns in "$name-site" "$name-rtr" "$name-hub"; do
        [[ -e /run/netns/$ns ]] || continue
        # Whatever still runs inside our own namespaces (servers left by a failed test) would keep
        # them alive: stop those processes, by pid.
        for pid in $(ip netns pids "$ns" 2>/dev/null); do stop_pid "$pid"; done
        ip netns del "$ns" 2>/dev/null || true
    done
    rm -rf "$dir"
}

cmd_down() {
    local name=
    while (($#)); do case $1 in --name) name=$2; shift 2 ;; *) usage ;; esac; done
    [[ -n $name ]] || usage
    check_name "$name"
    teardown "$name"
}

# --- up ------------------------------------------------------------------------------------------

cmd_up() {
    local name= down_rate=0 up_rate=0 buffer_ms=100 buffer_down= buffer_up=
    local delay_ms=0 delay_down= delay_up= jitter_ms=0 jitter_down= jitter_up=
    local loss_down=0 loss_up=0 seed= delayline=1 owner=$PPID cc=default
    while (($#)); do
        if [[ $1 == --no-delayline ]]; then delayline=0; shift; continue; fi
        (($# >= 2)) || usage
        case $1 in
            --name) name=$2 ;;
            --down-rate) down_rate=$2 ;;
            --up-rate) up_rate=$2 ;;
            --buffer-ms) buffer_ms=$2 ;;
            --buffer-down-ms) buffer_down=$2 ;;
            --buffer-up-ms) buffer_up=$2 ;;
            --delay-ms) delay_ms=$2 ;;
            --delay-down-ms) delay_down=$2 ;;
            --delay-up-ms) delay_up=$2 ;;
            --jitter-ms) jitter_ms=$2 ;;
            --jitter-down-ms) jitter_down=$2 ;;
            --jitter-up-ms) jitter_up=$2 ;;
            --loss-down) loss_down=$2 ;;
            --loss-up) loss_up=$2 ;;
            --seed) seed=$2 ;;
            --cc) cc=$2 ;;
            --owner-pid) owner=$2 ;;
            *) usage ;;
        esac
        shift 2
    done
    [[ -n $name ]] || name=lp$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
    check_name "$name"
    local down_bps up_bps
    down_bps=$(rate_bps "$down_rate")
    up_bps=$(rate_bps "$up_rate")
    buffer_down=$(ms_to_us "${buffer_down:-$buffer_ms}")
    buffer_up=$(ms_to_us "${buffer_up:-$buffer_ms}")
    delay_down=$(ms_to_us "${delay_down:-$delay_ms}")
    delay_up=$(ms_to_us "${delay_up:-$delay_ms}")
    jitter_down=$(ms_to_us "${jitter_down:-$jitter_ms}")
    jitter_up=$(ms_to_us "${jitter_up:-$jitter_ms}")
    check_percent "$loss_down"
    check_percent "$loss_up"
    [[ -z $seed || $seed =~ ^[0-9]+$ ]] || die "bad seed '$seed'"
    [[ $cc =~ ^[a-z0-9_]+$ ]] || die "bad congestion control '$cc'"
    if ((!delayline)) && [[ $delay_down$delay_up$jitter_down$jitter_up != 0000 || $loss_down$loss_up != 00 ]]; then
        die "delay, jitter and loss need the delay line (drop --no-delayline)"
    fi
    [[ $EUID -eq 0 ]] || die "needs root (network namespaces)"
    [[ -e /run/netns/$name-site || -e /run/netns/$name-rtr || -e /run/netns/$name-hub ]] && die "lab '$name' exists"
    build

    local S=$name-site R=$name-rtr H=$name-hub dir=$STATE_ROOT/$name
    mkdir -p "$dir"
    echo "$owner" >"$dir/owner"
    trap "teardown '$name'" EXIT   # any failure below removes everything created so far
    trap "exit 1" INT TERM          # ... and so does being stopped (the EXIT trap runs)

    local ns
    for ns in "$S" "$R" "$H"; do
        ip netns add "$ns"
        ip -n "$ns" link set lo up
        # IPv4 only: no router solicitations or MLD chatter in the delay line's counters.
        in_ns "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 2>/dev/null || true
    done
    # Before any interface exists, so that every interface inherits these defaults. rp_filter off:
    # a packet written into thub carries a site source address that the kernel would route via
    # "site", which strict reverse-path filtering would call spoofed.
    in_ns "$R" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 \
        net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.default.send_redirects=0

    # gso_max_segs 1 on the endpoints: TCP then builds wire-sized packets (no 64 KB TSO/GSO
    # super-packets) so that tbf counts and queues what a real line would carry. GRO on veth is off
    # by default, so the router never glues them back together.
    ip -n "$S" link add eth0 mtu $MTU gso_max_segs 1 type veth peer name site netns "$R"
    ip -n "$H" link add eth0 mtu $MTU gso_max_segs 1 type veth peer name hub netns "$R"
    ip -n "$R" link set site mtu $MTU
    ip -n "$R" link set hub mtu $MTU
    ip -n "$S" addr add $SITE_ADDR/24 dev eth0
    ip -n "$H" addr add $HUB_ADDR/24 dev eth0
    ip -n "$R" addr add $SITE_GW/24 dev site
    ip -n "$R" addr add $HUB_GW/24 dev hub
    for ns in "$S" "$H"; do ip -n "$ns" link set eth0 up; done
    ip -n "$R" link set site up
    ip -n "$R" link set hub up
    ip -n "$S" route add default via $SITE_GW
    ip -n "$H" route add default via $HUB_GW
    # The endpoints' default TCP congestion control. A site's Windows/macOS/Linux hosts mostly run
    # cubic, which fills a bloated buffer; bbr keeps queues short by design. The kernel lets a
    # namespace pick only algorithms listed in the host's net.ipv4.tcp_allowed_congestion_control;
    # tools can still choose per socket (iperf3 -C cubic).
    if [[ $cc != default ]]; then
        for ns in "$S" "$H"; do
            in_ns "$ns" sysctl -qw net.ipv4.tcp_congestion_control="$cc" 2>/dev/null ||
                die "cannot make '$cc' the default in a namespace (allowed: $(cat /proc/sys/net/ipv4/tcp_allowed_congestion_control))"
        done
    fi

    if ((down_bps > 0)); then tbf "$R" site "$down_bps" "$buffer_down"; fi
    if ((up_bps > 0)); then tbf "$R" hub "$up_bps" "$buffer_up"; fi

    if ((delayline)); then
        ip -n "$R" tuntap add dev tsite mode tun
        ip -n "$R" tuntap add dev thub mode tun
        ip -n "$R" link set tsite mtu $MTU up
        ip -n "$R" link set thub mtu $MTU up
        ip -n "$R" route add default dev tsite table 100
        ip -n "$R" route add default dev thub table 101
        # Only forwarded packets: the local table (pref 0) still answers for the router's own addresses.
        ip -n "$R" rule add pref 100 iif site lookup 100
        ip -n "$R" rule add pref 101 iif hub lookup 101
        start_delayline "$R" "$dir" "$delay_up" "$delay_down" "$jitter_up" "$jitter_down" "$loss_up" "$loss_down" "$seed"
    fi

    cat >"$dir/lab.env" <<EOF
name=$name
site_ns=$S
router_ns=$R
hub_ns=$H
site_addr=$SITE_ADDR
hub_addr=$HUB_ADDR
down_rate_bps=$down_bps
up_rate_bps=$up_bps
buffer_down_us=$buffer_down
buffer_up_us=$buffer_up
delay_down_us=$delay_down
delay_up_us=$delay_up
jitter_down_us=$jitter_down
jitter_up_us=$jitter_up
loss_down_pct=$loss_down
loss_up_pct=$loss_up
seed=$seed
congestion_control=$(in_ns "$S" sysctl -n net.ipv4.tcp_congestion_control)
delayline=$delayline
EOF
    trap - EXIT INT TERM
    cat "$dir/lab.env"
}

# The delay line between tsite and thub in router namespace $1, state in $2; delays and jitter in
# microseconds, loss in percent, seed may be empty.
start_delayline() {
    local R=$1 dir=$2
    local args=(--up-in tsite --up-out thub --down-in thub --down-out tsite
        --delay-up-us "$3" --delay-down-us "$4" --jitter-up-us "$5" --jitter-down-us "$6"
        --loss-up "$7" --loss-down "$8" --rt 10
        --stats "$dir/stats.json" --pidfile "$dir/delayline.pid")
    [[ -n $9 ]] && args+=(--seed "$9")
    # shellcheck disable=SC2206 # extra delay line options for experiments, word-split on purpose
    args+=(${LINKPROBE_LAB_DELAYLINE_OPTS:-})
    rm -f "$dir/delayline.pid"
    # Own session and no inherited stdio: whoever ran lab.sh (a test JVM reading our output)
    # must not wait on the delay line's file descriptors.
    in_ns "$R" setsid "$BUILD_DIR/delayline" "${args[@]}" </dev/null >"$dir/delayline.log" 2>&1 &
    local i
    for ((i = 0; i < 100; i++)); do [[ -s $dir/delayline.pid ]] && break; sleep 0.03; done
    [[ -s $dir/delayline.pid ]] || die "delay line did not start: $(cat "$dir/delayline.log")"
}

# tbf on the router's egress towards one side: a token bucket of 1 ms at line rate (but at least
# two full frames) so the rate holds on short time scales, and a byte queue of buffer_us at line
# rate: the modem's bloated buffer.
tbf() {
    local ns=$1 dev=$2 bps=$3 buffer_us=$4 burst limit
    burst=$(( bps / 8 / 1000 ))
    ((burst >= 2 * (MTU + 14))) || burst=$(( 2 * (MTU + 14) ))
    limit=$(( bps / 8 * buffer_us / 1000000 ))
    ((limit >= burst)) || limit=$burst
    tc -n "$ns" qdisc add dev "$dev" root tbf rate "${bps}bit" burst "$burst" limit "$limit"
}

# --- change: switch a running lab's line (a cut-over in the lab) ---------------------------------

# Rates and buffers are changed in place (tc qdisc replace); new delays restart the delay line,
# which drops what it holds at that moment (a line being switched). Settings not given stay.
cmd_change() {
    local name= down_rate= up_rate= buffer_ms= buffer_down= buffer_up= delay_ms= delay_down= delay_up=
    while (($#)); do
        (($# >= 2)) || usage
        case $1 in
            --name) name=$2 ;;
            --down-rate) down_rate=$2 ;;
            --up-rate) up_rate=$2 ;;
            --buffer-ms) buffer_ms=$2 ;;
            --buffer-down-ms) buffer_down=$2 ;;
            --buffer-up-ms) buffer_up=$2 ;;
            --delay-ms) delay_ms=$2 ;;
            --delay-down-ms) delay_down=$2 ;;
            --delay-up-ms) delay_up=$2 ;;
            *) usage ;;
        esac
        shift 2
    done
    [[ -n $name ]] || usage
    check_name "$name"
    local dir=$STATE_ROOT/$name
    [[ -f $dir/lab.env ]] || die "no lab '$name'"
    local -A env
    local k v
    while IFS='=' read -r k v; do env[$k]=$v; done <"$dir/lab.env"
    local R=${env[router_ns]}
    local down_bps=${env[down_rate_bps]} up_bps=${env[up_rate_bps]}
    [[ -n $down_rate ]] && down_bps=$(rate_bps "$down_rate")
    [[ -n $up_rate ]] && up_bps=$(rate_bps "$up_rate")
    local bdown=${env[buffer_down_us]} bup=${env[buffer_up_us]}
    [[ -n ${buffer_down:-$buffer_ms} ]] && bdown=$(ms_to_us "${buffer_down:-$buffer_ms}")
    [[ -n ${buffer_up:-$buffer_ms} ]] && bup=$(ms_to_us "${buffer_up:-$buffer_ms}")
    local ddown=${env[delay_down_us]} dup=${env[delay_up_us]}
    [[ -n ${delay_down:-$delay_ms} ]] && ddown=$(ms_to_us "${delay_down:-$delay_ms}")
    [[ -n ${delay_up:-$delay_ms} ]] && dup=$(ms_to_us "${delay_up:-$delay_ms}")
    if [[ ${env[delayline]} != 1 && $ddown$dup != 00 ]]; then
        die "lab '$name' runs without the delay line; delay needs one (lab.sh up without --no-delayline)"
    fi
    tc -n "$R" qdisc del dev site root 2>/dev/null || true
    tc -n "$R" qdisc del dev hub root 2>/dev/null || true
    if ((down_bps > 0)); then tbf "$R" site "$down_bps" "$bdown"; fi
    if ((up_bps > 0)); then tbf "$R" hub "$up_bps" "$bup"; fi
    if [[ ${env[delayline]} == 1 && ( $ddown != "${env[delay_down_us]}" || $dup != "${env[delay_up_us]}" ) ]]; then
        stop_pid "$(cat "$dir/delayline.pid")"
        start_delayline "$R" "$dir" "$dup" "$ddown" "${env[jitter_up_us]}" "${env[jitter_down_us]}" \
            "${env[loss_up_pct]}" "${env[loss_down_pct]}" "${env[seed]:-}"
    fi
    sed -i -e "s/^down_rate_bps=.*/down_rate_bps=$down_bps/" -e "s/^up_rate_bps=.*/up_rate_bps=$up_bps/" \
        -e "s/^buffer_down_us=.*/buffer_down_us=$bdown/" -e "s/^buffer_up_us=.*/buffer_up_us=$bup/" \
        -e "s/^delay_down_us=.*/delay_down_us=$ddown/" -e "s/^delay_up_us=.*/delay_up_us=$dup/" "$dir/lab.env"
    cat "$dir/lab.env"
}

# --- the rest ------------------------------------------------------------------------------------

cmd_exec() {
    (($# >= 3)) || usage
    local name=$1 role=$2
    check_name "$name"
    shift 2
    [[ $1 == -- ]] && shift
    (($#)) || usage
    case $role in site) role=site ;; hub) role=hub ;; router) role=rtr ;; *) usage ;; esac
    [[ -e /run/netns/$name-$role ]] || die "no lab '$name'"
    exec ip netns exec "$name-$role" "$@"
}

cmd_stats() {
    local name=
    while (($#)); do case $1 in --name) name=$2; shift 2 ;; *) usage ;; esac; done
    [[ -n $name ]] || usage
    check_name "$name"
    local dir=$STATE_ROOT/$name
    [[ -f $dir/delayline.pid ]] || die "lab '$name' has no delay line"
    local pid before i
    pid=$(cat "$dir/delayline.pid")
    pid_alive "$pid" || die "delay line of '$name' is not running"
    before=$(cat "$dir/stats.json")
    kill -USR1 "$pid"
    for ((i = 0; i < 200; i++)); do
        [[ $(cat "$dir/stats.json") != "$before" ]] && break
        sleep 0.01
    done
    cat "$dir/stats.json"
}

cmd_show() {
    local name=
    while (($#)); do case $1 in --name) name=$2; shift 2 ;; *) usage ;; esac; done
    [[ -n $name ]] || usage
    check_name "$name"
    [[ -f $STATE_ROOT/$name/lab.env ]] || die "no lab '$name'"
    cat "$STATE_ROOT/$name/lab.env"
    tc -n "$name-rtr" -s qdisc show dev site
    tc -n "$name-rtr" -s qdisc show dev hub
    [[ -f $STATE_ROOT/$name/delayline.pid ]] && cmd_stats --name "$name"
    return 0
}

cmd_list() {
    local dir
    for dir in "$STATE_ROOT"/*/; do [[ -f $dir/lab.env ]] && basename "$dir"; done
    return 0
}

cmd_gc() {   # labs whose owner process has gone (a killed test JVM) are removed
    local dir
    for dir in "$STATE_ROOT"/*/; do
        [[ -f $dir/owner ]] || continue
        pid_alive "$(cat "$dir/owner")" || { echo "removing $(basename "$dir")"; teardown "$(basename "$dir")"; }
    done
    return 0
}

(($#)) || usage
command=$1
shift
case $command in
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    change) cmd_change "$@" ;;
    exec) cmd_exec "$@" ;;
    stats) cmd_stats "$@" ;;
    show) cmd_show "$@" ;;
    list) cmd_list ;;
    gc) cmd_gc ;;
    build) build ;;
    *) usage ;;
esac
