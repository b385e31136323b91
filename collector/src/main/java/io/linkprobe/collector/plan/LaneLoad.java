package io.linkprobe.collector.plan;

/**
 * One responder's tests over one cycle of the schedule: how many run and at what summed rate, per
 * grid cell, so that a candidate slot can be checked against the responder's limits.
 */
final class LaneLoad {
    final PoolMember responder;
    final int cycle;
    final int[] running;
    final double[] mbps;
    long usedCells;

    LaneLoad(PoolMember responder, int cycle) {
        this.responder = responder;
        this.cycle = cycle;
        this.running = new int[cycle];
        this.mbps = new double[cycle];
    }

    double fraction() {
        return (double) usedCells / ((double) cycle * responder.maxConcurrentTests());
    }

    /**
     * -1 if a test fits at {@code offset}; else the index within the slot of the first full cell.
     *
     * @param siteBusy the cells the site's other tests hold (on any responder), which its agent
     *     cannot run this one in (one test loads its line at a time); null = none
     */
    int conflict(int offset, int period, int len, double rate, boolean[] siteBusy) {
        for (int start = offset; start < cycle; start += period) {
            for (int j = 0; j < len; j++) {
                int c = start + j;
                if (c >= cycle) {
                    c -= cycle;
                }
                if (running[c] >= responder.maxConcurrentTests() || mbps[c] + rate > responder.maxMbps() + Scheduler.EPSILON
                        || siteBusy != null && siteBusy[c]) {
                    return j;
                }
            }
        }
        return -1;
    }

    /**
     * The first offset from {@code from} (wrapping within the period) where the test fits, or -1.
     * A full cell at index j of the slot is inside every offset up to j later, so those are skipped.
     */
    int firstFit(int from, int period, int len, double rate, boolean[] siteBusy) {
        int offset = from;
        for (int tried = 0; tried < period; ) {
            int j = conflict(offset, period, len, rate, siteBusy);
            if (j < 0) {
                return offset;
            }
            offset = (offset + j + 1) % period;
            tried += j + 1;
        }
        return -1;
    }

    void add(int offset, int period, int len, double rate) {
        for (int start = offset; start < cycle; start += period) {
            for (int j = 0; j < len; j++) {
                int c = start + j;
                if (c >= cycle) {
                    c -= cycle;
                }
                running[c]++;
                mbps[c] += rate;
            }
        }
        usedCells += (long) (cycle / period) * len;
    }
}
