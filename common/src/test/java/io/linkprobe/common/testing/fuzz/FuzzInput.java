package io.linkprobe.common.testing.fuzz;

import java.util.Arrays;

/**
 * A fuzz input read as a simple record format, so that seed files can be written by hand (see each
 * target's Javadoc) and a fuzzer's mutation of one byte changes one thing. Reads past the end give
 * zeros and empty arrays: every input is valid input to the harness.
 */
public final class FuzzInput {
    private final byte[] data;
    private int pos;

    public FuzzInput(byte[] data) {
        this.data = data;
    }

    public boolean hasMore() {
        return pos < data.length;
    }

    public int u8() {
        return pos < data.length ? data[pos++] & 0xFF : 0;
    }

    public int u16() {
        return (u8() << 8) | u8();
    }

    /** Up to {@code n} bytes: fewer at the end of the input. */
    public byte[] bytes(int n) {
        int end = (int) Math.min((long) pos + Math.max(0, n), data.length);
        byte[] out = Arrays.copyOfRange(data, Math.min(pos, data.length), end);
        pos = end;
        return out;
    }

    /** A record: a u16 length, then that many bytes. */
    public byte[] chunk() {
        return bytes(u16());
    }

    public byte[] rest() {
        return bytes(data.length - pos);
    }
}
