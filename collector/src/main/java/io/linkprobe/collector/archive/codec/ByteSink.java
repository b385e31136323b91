package io.linkprobe.collector.archive.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array written front to back: LEB128 varints (7 bits a byte, low first), zigzag
 * for signed values (so that -1 costs one byte, not ten), raw bytes, and a bit writer for
 * {@link RiceInts}. Not thread-safe; one per encoding.
 */
final class ByteSink {
    private byte[] bytes;
    private int size;
    private long bitBuffer;
    private int bitCount;

    ByteSink(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    void write(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    void write(ByteSink other) {
        write(other.bytes, 0, other.size);
    }

    void varint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        bytes[size++] = (byte) v;
    }

    void signed(long v) {
        varint(zigzag(v));
    }

    void fixed64(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            bytes[size++] = (byte) (v >>> (8 * i));
        }
    }

    /** A nullable string: length + 1 (0 for null), then UTF-8. */
    void string(String s) {
        if (s == null) {
            varint(0);
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        varint(utf8.length + 1L);
        write(utf8, 0, utf8.length);
    }

    /** Appends the low {@code n} bits of {@code value} (n ≤ 32), low bit first. */
    void bits(long value, int n) {
        bitBuffer |= (value & ((1L << n) - 1)) << bitCount;
        bitCount += n;
        while (bitCount >= 8) {
            write((int) bitBuffer);
            bitBuffer >>>= 8;
            bitCount -= 8;
        }
    }

    /** Writes out a partly filled last byte of bits. */
    void flushBits() {
        if (bitCount > 0) {
            write((int) bitBuffer);
        }
        bitBuffer = 0;
        bitCount = 0;
    }

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
