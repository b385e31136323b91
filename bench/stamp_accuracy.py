#!/usr/bin/env python3
"""Analysis half of bench/stamp-accuracy.sh: matches the STAMP packets of two captures (the
sender's and the reflector's interface) by sequence number and prints where the time went.

Input CSVs are `tshark -T fields -E separator=, -e frame.time_epoch -e ip.src -e udp.srcport
-e udp.dstport -e udp.payload`; the sender's capture also holds irtt's packets (port 2112), whose raw
wire RTT (request to the next reply) shows how far irtt's own figure is from its wire. Unauthenticated STAMP (RFC 8762 §4.2.1/§4.3.1): a request carries its sequence
number at byte 0 and T1 at 4; a reply its own sequence at 0, T3 at 4, T2 at 16, the request's
sequence at 24 and T1 at 28. NTP timestamps are converted to Unix seconds.
"""
import argparse
import json
import math
import struct

NTP_UNIX = 2_208_988_800
STAMP_PORT = 862
IRTT_PORT = 2112


def ntp(b, off):
    sec, frac = struct.unpack_from(">II", b, off)
    return sec - NTP_UNIX + frac / 2**32


def read(path, hub):
    """{seq: request time} and {sender seq: (reply time, T1, T2, T3)} on one interface, and irtt's
    raw wire RTTs (each reply against the request just before it)."""
    requests, replies, irtt, last_irtt = {}, {}, [], None
    with open(path) as f:
        for line in f:
            parts = line.strip().split(",")
            if len(parts) < 5 or not parts[4]:
                continue
            t, src, sport, dport = float(parts[0]), parts[1], int(parts[2]), int(parts[3])
            payload = bytes.fromhex(parts[4].replace(":", ""))
            if IRTT_PORT in (sport, dport):
                if dport == IRTT_PORT:
                    last_irtt = t
                elif last_irtt is not None:
                    irtt.append((t - last_irtt) * 1e3)
                    last_irtt = None
                continue
            if src != hub and len(payload) >= 16:
                requests.setdefault(struct.unpack_from(">I", payload, 0)[0], t)
            elif src == hub and sport == STAMP_PORT and len(payload) >= 36:
                seq = struct.unpack_from(">I", payload, 24)[0]
                replies.setdefault(seq, (t, ntp(payload, 28), ntp(payload, 16), ntp(payload, 4)))
    return requests, replies, irtt


def rank(values, q):
    """Nearest rank, as linkprobe's LatencyStats computes its percentiles."""
    s = sorted(values)
    return s[max(0, math.ceil(q * len(s)) - 1)] if s else float("nan")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--run", default="1")
    p.add_argument("--hub", required=True)
    p.add_argument("--site-csv", required=True)
    p.add_argument("--hub-csv", required=True)
    p.add_argument("--linkprobe", required=True)
    p.add_argument("--irtt")
    a = p.parse_args()

    site_req, site_rep, irtt_wire = read(a.site_csv, a.hub)
    hub_req, hub_rep, _ = read(a.hub_csv, a.hub)
    seqs = sorted(s for s in site_rep if s in site_req)
    ms = 1e3
    wire, wire_less_turn, wake, turn, refl_send, send_path = [], [], [], [], [], []
    for s in seqs:
        t_rep, t1, t2, t3 = site_rep[s]
        rtt = t_rep - site_req[s]
        wire.append(rtt * ms)
        turnaround = t3 - t2
        wire_less_turn.append((rtt - turnaround if 0 < turnaround < rtt else rtt) * ms)
        turn.append(turnaround * ms)
        send_path.append((site_req[s] - t1) * ms)
        if s in hub_req and s in hub_rep:
            wake.append((t2 - hub_req[s]) * ms)
            refl_send.append((hub_rep[s][0] - t3) * ms)

    lp = json.load(open(a.linkprobe))["latency"]
    rtt = lp.get("rtt_ms") or {}
    irtt_p50 = float("nan")
    if a.irtt:
        try:
            irtt_p50 = json.load(open(a.irtt))["stats"]["rtt"]["median"] / 1e6
        except (OSError, ValueError, KeyError):
            pass
    ts = lp.get("timestamps", "user (field absent: this build predates kernel timestamps)")
    print(f"run {a.run}: linkprobe sent {lp['sent']}, received {lp['received']}, timestamps {ts}; "
          f"{len(seqs)} packets answered on the sender's wire")
    print(f"  RTT p50   linkprobe {rtt.get('p50', float('nan')):.3f} ms   irtt {irtt_p50:.3f} ms   "
          f"difference {rtt.get('p50', float('nan')) - irtt_p50:+.3f} ms   "
          f"(irtt's raw RTT on the wire: p50 {rank(irtt_wire, .5):.3f} ms)")
    print(f"  capture (sender's wire, less the stated turnaround): p50 {rank(wire_less_turn, .5):.3f}  "
          f"p99 {rank(wire_less_turn, .99):.3f}  max {max(wire_less_turn, default=float('nan')):.3f} ms"
          f"   (raw wire p50 {rank(wire, .5):.3f})")
    print(f"  linkprobe:                                        p50 {rtt.get('p50', float('nan')):.3f}  "
          f"p99 {rtt.get('p99', float('nan')):.3f}  max {rtt.get('max', float('nan')):.3f} ms")
    for q, name in ((.99, "p99"), (1.0, "max")):
        cap = rank(wire_less_turn, q) if q < 1 else max(wire_less_turn, default=float("nan"))
        mine = rtt.get(name, float("nan"))
        print(f"  {name}: linkprobe - capture {mine - cap:+.3f} ms ({(mine / cap - 1) * 100 if cap else float('nan'):+.1f} %)")
    print(f"  split (medians): reflector wake-up {rank(wake, .5) * 1e3:.0f} µs, turnaround T3-T2 {rank(turn, .5) * 1e3:.0f} µs, "
          f"reflector send path {rank(refl_send, .5) * 1e3:.0f} µs, sender send path {rank(send_path, .5) * 1e3:.0f} µs; "
          f"p99 wake-up {rank(wake, .99) * 1e3:.0f} µs")
    print(f"  sender wake-up (linkprobe p50 - capture p50): {(rtt.get('p50', float('nan')) - rank(wire_less_turn, .5)) * 1e3:+.0f} µs")
    per = lp.get("rtt_us")
    if per is not None and len(per) == len(wire_less_turn):
        diffs = sorted(abs(x / 1e3 - y) for x, y in zip(per, wire_less_turn))
        print(f"  per packet |linkprobe - capture|: p50 {rank(diffs, .5) * 1e3:.0f} µs, p99 {rank(diffs, .99) * 1e3:.0f} µs, "
              f"max {diffs[-1] * 1e3:.0f} µs")


if __name__ == "__main__":
    main()
