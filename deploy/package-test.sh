#!/usr/bin/env bash
# Installs the Debian packages that `mvn package` built (agent/target/linkprobe-agent_*_all.deb,
# collector/target/linkprobe-collector_*_all.deb) on this machine with apt-get, as a site engineer
# would, checks what they installed, then purges them and checks that nothing is left behind.
#
#   deploy/package-test.sh        (as root on Debian 12 / a systemd-based Debian or Ubuntu)
#
# Checked: the programs run from the installed paths (--version, check-config: the shipped example
# config is refused until the site's token is in place, then accepted, also as the service user);
# the class-data archive made on install is valid for this Java (-Xshare:on); the agent runs as the
# service user and writes its state in /var/lib/linkprobe; conffiles; the service user; the units
# pass `systemd-analyze verify` and are enabled but not started without a real config; a reinstall
# keeps an edited config; a Java package change (the dpkg trigger) remakes the archive; purge
# removes every file, the state and the enable links (the linkprobe user stays, as Debian leaves
# system users). Refuses to run where linkprobe is already installed: it would remove it.
# Exit status: 0 all passed, 1 a check failed, 2 cannot run here.
set -uo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

[ "$(id -u)" = 0 ] || { echo "package-test.sh must run as root (it installs packages)" >&2; exit 2; }
command -v apt-get >/dev/null && command -v dpkg >/dev/null || { echo "package-test.sh needs apt-get and dpkg" >&2; exit 2; }
agent_deb=$(ls agent/target/linkprobe-agent_*_all.deb 2>/dev/null | sed -n 1p)
collector_deb=$(ls collector/target/linkprobe-collector_*_all.deb 2>/dev/null | sed -n 1p)
[ -n "$agent_deb" ] && [ -n "$collector_deb" ] || { echo "no packages in agent/target, collector/target: run mvn -DskipTests package" >&2; exit 2; }

# Everything the packages (and their scripts) may create; all of it must be gone after the purge.
traces() {
  find /etc/linkprobe /usr/share/linkprobe /var/lib/linkprobe /var/cache/linkprobe /var/log/linkprobe \
       /usr/share/doc/linkprobe-agent /usr/share/doc/linkprobe 2>/dev/null
  ls -d /usr/bin/linkprobe-* /lib/systemd/system/linkprobe-* /usr/lib/systemd/system/linkprobe-* \
        /usr/lib/sysusers.d/linkprobe-* /etc/systemd/system/*/linkprobe-* /etc/systemd/system/linkprobe-* \
        /var/lib/systemd/deb-systemd-helper-enabled/linkprobe-* \
        /var/lib/systemd/deb-systemd-helper-enabled/*/linkprobe-* \
        /var/lib/systemd/deb-systemd-helper-masked/linkprobe-* /etc/default/linkprobe-* 2>/dev/null
}
for p in linkprobe-agent linkprobe-collector; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q installed; then
    echo "$p is installed here; package-test.sh would remove it. Remove it first (apt-get purge $p)." >&2; exit 2
  fi
done
if [ -n "$(traces)" ]; then
  echo "linkprobe files are already on this machine (they would be taken for the packages'):" >&2; traces >&2; exit 2
fi

passed=0 failed=0
pass() { echo "PASS  $1"; passed=$((passed + 1)); }
fail() { echo "FAIL  $1"; failed=$((failed + 1)); }
check() { # check NAME COMMAND...: shows the command's output only when it fails
  local name=$1 out
  shift
  if out=$("$@" 2>&1); then pass "$name"; else fail "$name"; echo "$out" | sed 's/^/      /'; return 1; fi
}
installed=0
cleanup() {
  [ "$installed" = 1 ] && apt-get purge -y -qq linkprobe-agent linkprobe-collector >/dev/null 2>&1
  [ -n "${agent_pid:-}" ] && kill "$agent_pid" 2>/dev/null
  rm -rf "${work:-}"
}
trap cleanup EXIT
work=$(mktemp -d)

echo "== install $agent_deb"
installed=1
if apt-get install -y -q "./$agent_deb" > "$work/agent-install.log" 2>&1; then pass "apt-get install ./$agent_deb"
else fail "apt-get install ./$agent_deb"; sed 's/^/      /' "$work/agent-install.log"; exit 1; fi
check "postinst says the agent is enabled but not started, and why (no token yet)" \
  grep -q "linkprobe-agent.service is enabled but not started: .*collector.token_file /etc/linkprobe/agent.token does not exist" "$work/agent-install.log"
check "linkprobe-agent --version (from /usr/bin)" bash -c '[ "$(command -v linkprobe-agent)" = /usr/bin/linkprobe-agent ] && linkprobe-agent --version | grep -qx "linkprobe-agent [0-9].*"'
check "files: jar and class list in /usr/share/linkprobe, unit, responder unit, sysusers, doc" \
  test -f /usr/share/linkprobe/linkprobe-agent.jar -a -f /usr/share/linkprobe/linkprobe-agent.classlist \
       -a -f /lib/systemd/system/linkprobe-agent.service -a -f /lib/systemd/system/linkprobe-responder.service \
       -a -f /usr/lib/sysusers.d/linkprobe-agent.conf -a -f /usr/share/doc/linkprobe-agent/README.md
check "/etc/linkprobe/agent.yml is a conffile" bash -c "dpkg-query -W -f='\${Conffiles}' linkprobe-agent | grep -q '/etc/linkprobe/agent.yml '"
check "the package depends on a Java 17+ runtime" bash -c "dpkg-query -W -f='\${Depends}' linkprobe-agent | grep -q 'java17-runtime-headless'"
check "the service user linkprobe exists, with /var/lib/linkprobe" bash -c 'getent passwd linkprobe && [ "$(stat -c %U /var/lib/linkprobe)" = linkprobe ]'
check "the class-data archive was made on install and this Java maps it (-Xshare:on)" \
  bash -c 'test -s /var/cache/linkprobe/linkprobe-agent.jsa && LINKPROBE_JAVA_OPTS=-Xshare:on linkprobe-agent --version'

# check-config of the shipped config: refused, with the fix named, until the token is there.
out=$(linkprobe-agent check-config --config /etc/linkprobe/agent.yml 2>&1); rc=$?
if [ "$rc" = 2 ] && echo "$out" | grep -q "collector.token_file /etc/linkprobe/agent.token does not exist: create it with the token from 'linkprobe-collector token new --site y99999-main'"; then
  pass "check-config refuses the shipped config without a token (exit 2, names the file and the command)"
else
  fail "check-config refuses the shipped config without a token (exit 2, names the file and the command)"; echo "      exit $rc: $out"
fi
check "systemd-analyze verify the installed agent units" \
  systemd-analyze verify /lib/systemd/system/linkprobe-agent.service /lib/systemd/system/linkprobe-responder.service
# Every file:// a unit's Documentation= names (and the alerts' runbook_url, with the collector) is installed.
unit_docs() {
  local u url bad=0
  for u in "$@"; do
    for url in $(sed -n 's/^Documentation=//p' "$u"); do
      case $url in file://*) [ -f "${url#file://}" ] || { echo "$u: $url is not installed"; bad=1; } ;; esac
    done
  done
  return $bad
}
check "the agent units' Documentation= files are installed" \
  unit_docs /lib/systemd/system/linkprobe-agent.service /lib/systemd/system/linkprobe-responder.service
check "linkprobe-agent.service is enabled, the responder is not" \
  bash -c 'test -L /etc/systemd/system/multi-user.target.wants/linkprobe-agent.service && ! test -e /etc/systemd/system/multi-user.target.wants/linkprobe-responder.service'

echo "== install $collector_deb"
if apt-get install -y -q "./$collector_deb" > "$work/collector-install.log" 2>&1; then pass "apt-get install ./$collector_deb"
else fail "apt-get install ./$collector_deb"; sed 's/^/      /' "$work/collector-install.log"; exit 1; fi
check "postinst says the collector is enabled but not started (the tokens file names no site)" \
  grep -q "linkprobe-collector.service is enabled but not started: /etc/linkprobe/tokens names no site yet" "$work/collector-install.log"
check "linkprobe-collector --version (from /usr/bin)" bash -c 'linkprobe-collector --version | grep -qx "linkprobe-collector [0-9].*"'
check "/etc/linkprobe/collector.yml is a conffile; an empty tokens file 0640 root:linkprobe" \
  bash -c "dpkg-query -W -f='\${Conffiles}' linkprobe-collector | grep -q '/etc/linkprobe/collector.yml ' && [ \"\$(stat -c '%a %U %G %s' /etc/linkprobe/tokens)\" = '640 root linkprobe 0' ]"
check "linkprobe-collector check-config accepts the shipped config" \
  linkprobe-collector check-config --config /etc/linkprobe/collector.yml
check "systemd-analyze verify the installed collector unit" systemd-analyze verify /lib/systemd/system/linkprobe-collector.service
check "the collector unit's Documentation= files are installed" unit_docs /lib/systemd/system/linkprobe-collector.service
check "the runbooks the alerts' runbook_url names are installed" test -f /usr/share/doc/linkprobe/deploy/runbooks.md
check "linkprobe-collector.service is enabled" test -L /etc/systemd/system/multi-user.target.wants/linkprobe-collector.service

echo "== a site: its token from the collector, in place on the gateway"
token=$(linkprobe-collector token new --site y99999-main --tokens-file /etc/linkprobe/tokens 2>/dev/null | sed -n 1p)
check "token new appends the site to /etc/linkprobe/tokens" grep -q " y99999-main$" /etc/linkprobe/tokens
install -m 0640 -o root -g linkprobe /dev/null /etc/linkprobe/agent.token && printf '%s\n' "$token" > /etc/linkprobe/agent.token
check "check-config accepts the shipped config once the token is there (as root)" \
  linkprobe-agent check-config --config /etc/linkprobe/agent.yml
check "... and as the service user linkprobe" \
  runuser -u linkprobe -- linkprobe-agent check-config --config /etc/linkprobe/agent.yml

# The installed agent runs as the service user (its targets on loopback: the example names a host
# that does not resolve here) and writes its state where the unit keeps it.
sed -e 's/^\(  *host: \).*/\1127.0.0.1/' -e 's#^\(  url: \).*#\1http://127.0.0.1:1#' /etc/linkprobe/agent.yml > "$work/agent.yml"
chmod 0644 "$work/agent.yml"; chmod 0755 "$work"
runuser -u linkprobe -- linkprobe-agent run --config "$work/agent.yml" > "$work/agent-run.log" 2>&1 &
agent_pid=$!
for _ in $(seq 1 300); do grep -q "Agent for site '.*' running" "$work/agent-run.log" && break; kill -0 "$agent_pid" 2>/dev/null || break; sleep 0.2; done
check "linkprobe-agent run starts as linkprobe from the installed launcher" grep -q "Agent for site '.*' running" "$work/agent-run.log" \
  || sed 's/^/      /' "$work/agent-run.log"
kill -TERM "$agent_pid" 2>/dev/null; wait "$agent_pid"; rc=$?; agent_pid=
check "it stops on SIGTERM (the launcher execs the JVM: exit 143)" test "$rc" = 143
check "its state is in /var/lib/linkprobe, owned by linkprobe" \
  bash -c '[ "$(stat -c %U /var/lib/linkprobe/agent-id)" = linkprobe ] && test -f /var/lib/linkprobe/spool.db'

echo "== reinstall keeps an edited config; a Java package change remakes the archive"
sed -i 's/^site: .*/site: edited-site/' /etc/linkprobe/agent.yml
apt-get install -y -q --reinstall "./$agent_deb" > "$work/reinstall.log" 2>&1
check "apt-get install --reinstall kept the edited /etc/linkprobe/agent.yml" grep -q "^site: edited-site" /etc/linkprobe/agent.yml
touch -d '2000-01-01' /var/cache/linkprobe/linkprobe-agent.jsa
dpkg-trigger --no-await /usr/lib/jvm && dpkg --triggers-only linkprobe-agent > "$work/trigger.log" 2>&1
check "a change under /usr/lib/jvm (dpkg trigger) remade the archive" \
  bash -c 'test "$(stat -c %Y /var/cache/linkprobe/linkprobe-agent.jsa)" -gt 946684800 && LINKPROBE_JAVA_OPTS=-Xshare:on linkprobe-agent --version'

echo "== purge"
if apt-get purge -y -q linkprobe-agent linkprobe-collector > "$work/purge.log" 2>&1; then
  installed=0; pass "apt-get purge linkprobe-agent linkprobe-collector"
else
  fail "apt-get purge linkprobe-agent linkprobe-collector"; sed 's/^/      /' "$work/purge.log"
fi
left=$(traces)
if [ -z "$left" ]; then pass "nothing left behind (files, config, state, archive, units, enable links)"
else fail "nothing left behind (files, config, state, archive, units, enable links)"; echo "$left" | sed 's/^/      /'; fi
if getent passwd linkprobe >/dev/null; then echo "note  the linkprobe system user stays (Debian leaves system users in place)"; fi

echo "package-test.sh: $passed passed, $failed failed"
[ "$failed" = 0 ]
