package io.linkprobe.collector.archive.codec;

import java.nio.charset.StandardCharsets;

/** Reads what {@link ByteSink} wrote; every read past the end is a {@link CodecException}. */
final class ByteSource {
    private final byte[] bytes;
    private int pos;
    private final int end;
    private long bitBuffer;
    private int bitCount;

    ByteSource(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    ByteSource(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.pos = offset;
        this.end = offset + length;
    }

    int position() {
        return pos;
    }

    boolean atEnd() {
        return pos >= end;
    }

    byte[] array() {
        return bytes;
    }

    int read() {
        if (pos >= end) {
            throw new CodecException("truncated: read past the end at byte " + pos);
        }
        return bytes[pos++] & 0xFF;
    }

    void skip(int n) {
        if (n < 0 || pos + n > end) {
            throw new CodecException("truncated: skipping " + n + " bytes at byte " + pos);
        }
        pos += n;
    }

    long varint() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = read();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new CodecException("varint longer than 10 bytes at byte " + pos);
    }

    int length() {
        long n = varint();
        if (n < 0 || n > end - pos) {
            throw new CodecException("length " + n + " beyond the end at byte " + pos);
        }
        return (int) n;
    }

    /**
     * A stored list or map size + 1 (0 = null): each element takes a byte at least, so it may be
     * at most the bytes left + 1 (an empty list as the last thing in a push is 1 with none left).
     */
    int sizePlusOne() {
        long n = varint();
        if (n < 0 || n - 1 > end - pos) {
            throw new CodecException("list of " + (n - 1) + " beyond the end at byte " + pos);
        }
        return (int) n;
    }

    long signed() {
        long z = varint();
        return (z >>> 1) ^ -(z & 1);
    }

    long fixed64() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (long) read() << (8 * i);
        }
        return v;
    }

    String string() {
        long n = varint();
        return n == 0 ? null : utf8(n - 1);
    }

    /** The next {@code n} bytes as UTF-8. */
    String utf8(long n) {
        if (n < 0 || n > end - pos) {
            throw new CodecException("string of " + n + " bytes beyond the end at byte " + pos);
        }
        String s = new String(bytes, pos, (int) n, StandardCharsets.UTF_8);
        pos += (int) n;
        return s;
    }

    /** The next {@code n} bits (n ≤ 32), low bit first, as {@link ByteSink#bits} wrote them. */
    long bits(int n) {
        while (bitCount < n) {
            bitBuffer |= (long) read() << bitCount;
            bitCount += 8;
        }
        long v = bitBuffer & ((1L << n) - 1);
        bitBuffer >>>= n;
        bitCount -= n;
        return v;
    }

    /** One bit. */
    int bit() {
        return (int) bits(1);
    }

    /** Drops the rest of a partly read byte of bits. */
    void alignBits() {
        bitBuffer = 0;
        bitCount = 0;
    }
}
