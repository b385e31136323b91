package io.linkprobe.collector.load;

import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip (RFC 1952) with one reused {@link Deflater} per thread, at the fastest level: the load
 * generator shares the machine with the collector, and its CPU is better left to the collector.
 * The collector's inflate cost does not depend on the level.
 */
final class Gzip {
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    private static final ThreadLocal<Gzip> PER_THREAD = ThreadLocal.withInitial(Gzip::new);

    private final Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
    private final CRC32 crc = new CRC32();
    private byte[] out = new byte[64 * 1024];

    private Gzip() {}

    static byte[] compress(byte[] in, int length) {
        return PER_THREAD.get().run(in, length);
    }

    private byte[] run(byte[] in, int length) {
        deflater.reset();
        crc.reset();
        crc.update(in, 0, length);
        deflater.setInput(in, 0, length);
        deflater.finish();
        System.arraycopy(HEADER, 0, out, 0, HEADER.length);
        int n = HEADER.length;
        while (!deflater.finished()) {
            if (n == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            n += deflater.deflate(out, n, out.length - n);
        }
        byte[] result = Arrays.copyOf(out, n + 8);
        littleEndian(result, n, (int) crc.getValue());
        littleEndian(result, n + 4, length);
        return result;
    }

    private static void littleEndian(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }
}
