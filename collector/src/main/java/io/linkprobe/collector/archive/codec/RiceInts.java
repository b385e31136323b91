package io.linkprobe.collector.archive.codec;

/**
 * An {@code int[]} in about as few bits as its spread allows: each value as its distance above the
 * array's minimum, Golomb–Rice coded (the quotient by 2^k in unary, then k low bits), with the k
 * that makes the whole array shortest. For RTTs this is the natural code: what a window adds above
 * its floor is roughly exponentially distributed (queueing, jitter), and a Rice code is within a
 * few percent of the entropy of such a distribution; 300 RTTs with a spread of a few hundred µs
 * take ~1.2 bytes each instead of the ~5 of their JSON text. A value far above the rest (a burst
 * of queueing) escapes to 34 raw bits instead of a long unary run.
 *
 * <pre>
 * varint length + 1 (0 = null) | zigzag varint minimum | byte k | bits: per value
 *   q = (v - min) >> k:  q < 24 → q one-bits, a zero bit, the k low bits of (v - min)
 *                        else  → 24 one-bits, then (v - min) in 34 bits
 * </pre>
 */
final class RiceInts {
    static final int ESCAPE = 24;
    private static final int RAW_BITS = 34;
    private static final int MAX_K = 33;

    private RiceInts() {}

    static void write(ByteSink out, int[] values) {
        if (values == null) {
            out.varint(0);
            return;
        }
        out.varint(values.length + 1L);
        if (values.length == 0) {
            return;
        }
        long min = Long.MAX_VALUE;
        for (int v : values) {
            min = Math.min(min, v);
        }
        int k = bestK(values, min);
        out.signed(min);
        out.write(k);
        long kMask = (1L << k) - 1;
        for (int v : values) {
            long x = v - min;
            long q = x >>> k;
            if (q < ESCAPE) {
                out.bits((1L << q) - 1, (int) q + 1); // q ones, then the terminating zero
                out.bits(x & kMask, k);
            } else {
                out.bits((1L << ESCAPE) - 1, ESCAPE);
                out.bits(x, RAW_BITS);
            }
        }
        out.flushBits();
    }

    static int[] read(ByteSource in) {
        long n = in.varint();
        if (n == 0) {
            return null;
        }
        if (n < 0 || n - 1 > Integer.MAX_VALUE - 8 || n - 1 > 8L * (in.array().length - in.position()) + 1) {
            throw new CodecException("an int array of " + (n - 1) + " values cannot fit in what is left");
        }
        int[] values = new int[(int) (n - 1)];
        if (values.length == 0) {
            return values;
        }
        long min = in.signed();
        int k = in.read();
        if (k > MAX_K) {
            throw new CodecException("Rice parameter " + k + " out of range");
        }
        for (int i = 0; i < values.length; i++) {
            int q = 0;
            while (q < ESCAPE && in.bit() == 1) {
                q++;
            }
            long x = q < ESCAPE ? ((long) q << k) | in.bits(k) : in.bits(RAW_BITS);
            long v = min + x;
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new CodecException("value " + v + " is not an int");
            }
            values[i] = (int) v;
        }
        in.alignBits();
        return values;
    }

    /** The k that codes {@code values} in the fewest bits. */
    private static int bestK(int[] values, long min) {
        int best = 0;
        long bestBits = Long.MAX_VALUE;
        for (int k = 0; k <= MAX_K; k++) {
            long bits = 0;
            for (int v : values) {
                long q = (v - min) >>> k;
                bits += q < ESCAPE ? q + 1 + k : ESCAPE + RAW_BITS;
            }
            if (bits < bestBits) {
                bestBits = bits;
                best = k;
            } else if (bits > bestBits) {
                break; // the cost is convex in k
            }
        }
        return best;
    }
}
