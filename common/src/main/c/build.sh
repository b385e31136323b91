#!/usr/bin/env bash
# Builds (and with "test", tests) linkprobe's native UDP shim for every Linux architecture whose
# compiler is on this machine:
#   linux-x86_64   gcc on an x86_64 host (or x86_64-linux-gnu-gcc)
#   linux-aarch64  gcc on an aarch64 host, else aarch64-linux-gnu-gcc (Debian: gcc-aarch64-linux-gnu)
# into OUT/native/linux-ARCH/liblinkprobe_udp.so, which Maven packs into the common jar.
#
#   build.sh compile OUT JAVA_HOME
#   build.sh test    OUT            the C tests of udp_core, natively or under qemu-user
#
# A missing compiler is not an error: that architecture then measures with user-space timestamps
# (the Java fallback) and this script says so. A compiler that fails is an error.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
test_src=$(cd "$here/../../test/c" && pwd)
mode=${1:?usage: build.sh compile|test OUT [JAVA_HOME]}
out=${2:?usage: build.sh compile|test OUT [JAVA_HOME]}
host=$(uname -m)
if [ "$(uname -s)" != Linux ]; then
  echo "[native] not Linux ($(uname -s)): the native UDP shim is not built; linkprobe will use user-space timestamps"
  exit 0
fi

compiler_for() {
  local arch=$1
  if [ "$host" = "$arch" ] && command -v gcc >/dev/null; then echo gcc; return; fi
  if command -v "$arch-linux-gnu-gcc" >/dev/null; then echo "$arch-linux-gnu-gcc"; return; fi
  echo ""
}

runner_for() {  # how to run a test binary of that architecture here
  local arch=$1
  if [ "$host" = "$arch" ]; then echo native; return; fi
  if command -v "qemu-$arch-static" >/dev/null; then echo "qemu-$arch-static"; return; fi
  if command -v "qemu-$arch" >/dev/null; then echo "qemu-$arch"; return; fi
  echo ""
}

cflags=(-O2 -std=gnu11 -Wall -Wextra -Wno-unused-parameter -fPIC -fvisibility=hidden)
case "$mode" in
  compile)
    java_home=${3:?build.sh compile needs JAVA_HOME}
    [ -f "$java_home/include/jni.h" ] || java_home=$(dirname "$java_home") # a JRE inside a JDK
    if [ ! -f "$java_home/include/jni.h" ]; then
      echo "[native] jni.h not found under $java_home: the native UDP shim is not built; linkprobe will use user-space timestamps" >&2
      exit 0
    fi
    for arch in x86_64 aarch64; do
      cc=$(compiler_for "$arch")
      if [ -z "$cc" ]; then
        echo "[native] linux-$arch: no compiler (gcc / $arch-linux-gnu-gcc): not built; linkprobe on linux-$arch will use user-space timestamps"
        continue
      fi
      dir="$out/native/linux-$arch"
      mkdir -p "$dir"
      # jni_md.h is the same for every LP64 Linux, so the host JDK's headers serve the cross build.
      "$cc" "${cflags[@]}" -shared -I"$java_home/include" -I"$java_home/include/linux" \
        -o "$dir/liblinkprobe_udp.so" "$here/udp_core.c" "$here/udp_jni.c"
      echo "[native] linux-$arch: built $dir/liblinkprobe_udp.so with $cc"
    done
    ;;
  test)
    failed=0
    for arch in x86_64 aarch64; do
      cc=$(compiler_for "$arch")
      runner=$(runner_for "$arch")
      if [ -z "$cc" ]; then echo "[native-test] linux-$arch: no compiler: not tested"; continue; fi
      if [ -z "$runner" ]; then echo "[native-test] linux-$arch: built but not run (no qemu-$arch-static / qemu-$arch)"; continue; fi
      bin="$out/native-test/udp_core_test-$arch"
      mkdir -p "$(dirname "$bin")"
      # Static, so that qemu-user needs no $arch sysroot.
      "$cc" "${cflags[@]}" -static -I"$here" -o "$bin" "$here/udp_core.c" "$test_src/udp_core_test.c"
      echo "[native-test] linux-$arch ($([ "$runner" = native ] && echo native || echo "under $runner")):"
      if [ "$runner" = native ]; then "$bin" || failed=1; else "$runner" "$bin" || failed=1; fi
    done
    exit $failed
    ;;
  *) echo "usage: build.sh compile|test OUT [JAVA_HOME]" >&2; exit 2 ;;
esac
