#!/usr/bin/env python3
"""Summarises a JFR recording's CPU samples: samples per thread, hottest frames (self) and
hottest methods (inclusive), optionally for one thread. Java 17's `jfr` has no `view` command.

usage: jfr-top.py RECORDING.jfr [THREAD-PREFIX] [N]
"""
import collections
import re
import subprocess
import sys

def main():
    path = sys.argv[1]
    only = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] != "-" else None
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 25
    text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64", path],
                          check=True, capture_output=True, text=True).stdout
    threads = collections.Counter()
    selfs = collections.Counter()
    incl = collections.Counter()
    total = 0
    for event in text.split("jdk.ExecutionSample")[1:]:
        m = re.search(r'sampledThread = "([^"]*)"', event)
        thread = m.group(1) if m else "?"
        threads[re.sub(r"-\d+$", "-N", thread)] += 1
        if only and not thread.startswith(only):
            continue
        frames = [re.sub(r"\s+line:.*", "", f.strip()) for f in
                  re.findall(r"^\s{4}(\S.*)$", event.split("stackTrace = [", 1)[-1], re.M)]
        frames = [f for f in frames if f and f != "..." and not f.startswith("]")]
        if not frames:
            continue
        total += 1
        selfs[frames[0]] += 1
        for f in set(frames):
            incl[f] += 1
    print("samples per thread:")
    for t, n in threads.most_common(15):
        print(f"  {n:6d}  {t}")
    print(f"\nself (top {top}) of {total} samples{' in ' + only if only else ''}:")
    for f, n in selfs.most_common(top):
        print(f"  {100 * n / total:5.1f}%  {f}")
    print(f"\ninclusive (top {top}):")
    for f, n in incl.most_common(top):
        print(f"  {100 * n / total:5.1f}%  {f}")

if __name__ == "__main__":
    main()
