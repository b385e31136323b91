package io.linkprobe.collector.archive.codec;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.linkprobe.common.wire.AgentHealth;
import io.linkprobe.common.wire.ConnectResult;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.ThroughputResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The samples of one push as the raw tier stores them: one blob per push.
 *
 * <pre>
 * byte version (1) | zigzag varint base time (ms: the first sample's end) | varint count
 * | string table: varint n, n × (varint UTF-8 length + 1, bytes)  (targets, hosts: once per push)
 * per sample: byte kind code (+ 0x80 when JSON) | {@link RecordCodec} record
 *                                               | or varint length, raw DEFLATE of the sample's JSON
 * </pre>
 *
 * Kinds whose record has a binary form use it (a latency window with its 300 RTTs is ~0.5 KB
 * instead of ~1.6 KB of JSON); any other kind is stored as deflated JSON, so a new kind is archived
 * from the day it exists and gets a binary form when it matters for size.
 */
public final class PushCodec {
    private static final int VERSION = 1;
    private static final int JSON_FLAG = 0x80;
    private static final ObjectWriter WRITER = Json.mapper().writerFor(Sample.class);
    private static final ObjectReader READER = Json.mapper().readerFor(Sample.class);
    private static final ThreadLocal<Deflater> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater(6, true));
    private static final ThreadLocal<Inflater> INFLATERS = ThreadLocal.withInitial(() -> new Inflater(true));

    private PushCodec() {}

    /** The stable one-byte code of each kind in stored pushes (never reuse or renumber one). */
    static int code(Sample.Kind kind) {
        return switch (kind) {
            case LATENCY -> 1;
            case THROUGHPUT -> 2;
            case CONNECT -> 3;
            case HEALTH -> 4;
            case VIDEO -> 5; // stored as deflated JSON until it gets a binary form
        };
    }

    /** The bit of {@code kind} in a stored push's kinds mask. */
    public static int kindBit(Sample.Kind kind) {
        return 1 << code(kind);
    }

    static Sample.Kind kind(int code) {
        for (Sample.Kind k : Sample.Kind.values()) {
            if (code(k) == code) {
                return k;
            }
        }
        throw new CodecException("unknown sample kind code " + code);
    }

    static Class<? extends Sample> recordClass(Sample.Kind kind) {
        return switch (kind) {
            case LATENCY -> LatencyWindow.class;
            case THROUGHPUT -> ThroughputResult.class;
            case CONNECT -> ConnectResult.class;
            case HEALTH -> AgentHealth.class;
            case VIDEO -> io.linkprobe.common.wire.VideoResult.class;
        };
    }

    public static byte[] encode(List<? extends Sample> samples) {
        ByteSink out = new ByteSink(256 + 512 * samples.size());
        long base = samples.isEmpty() ? 0 : samples.get(0).endEpochMillis();
        RecordCodec.Context ctx = new RecordCodec.Context(base);
        for (Sample s : samples) {
            int code = code(s.kind());
            if (RecordCodec.supports(s.getClass())) {
                out.write(code);
                RecordCodec.write(out, (Record) s, ctx);
            } else {
                out.write(code | JSON_FLAG);
                byte[] deflated = deflate(json(s));
                out.varint(deflated.length);
                out.write(deflated, 0, deflated.length);
            }
        }
        byte[] body = out.toByteArray();
        ByteSink push = new ByteSink(body.length + 64);
        push.write(VERSION);
        push.signed(base);
        push.varint(samples.size());
        ctx.writeTable(push);
        push.write(body, 0, body.length);
        return push.toByteArray();
    }

    /** @throws CodecException when the bytes are not a stored push */
    public static List<Sample> decode(byte[] bytes) {
        ByteSource in = new ByteSource(bytes);
        int version = in.read();
        if (version != VERSION) {
            throw new CodecException("stored push of format version " + version + "; this collector reads " + VERSION);
        }
        RecordCodec.Context ctx = new RecordCodec.Context(in.signed());
        int count = in.length();
        ctx.readTable(in);
        List<Sample> samples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int code = in.read();
            Sample.Kind kind = kind(code & ~JSON_FLAG);
            Sample s;
            if ((code & JSON_FLAG) == 0) {
                s = RecordCodec.read(in, recordClass(kind), ctx);
            } else {
                int length = in.length();
                byte[] json = inflate(in.array(), in.position(), length);
                in.skip(length);
                s = parse(json, kind);
            }
            if (kind != Sample.Kind.HEALTH && s.target() == null) {
                // Ingest refuses a sample without its target; every reader keys on it.
                throw new CodecException("stored " + kind.wireName() + " sample " + i + " has no target");
            }
            samples.add(s);
        }
        if (!in.atEnd()) {
            throw new CodecException("bytes left after " + count + " samples");
        }
        return samples;
    }

    private static byte[] json(Sample s) {
        try {
            return WRITER.writeValueAsBytes(s);
        } catch (IOException e) {
            throw new IllegalStateException("a validated sample must serialise", e);
        }
    }

    private static Sample parse(byte[] json, Sample.Kind kind) {
        try {
            Sample s = READER.readValue(json);
            if (s == null) {
                throw new CodecException("stored " + kind.wireName() + " sample is a JSON null");
            }
            if (s.kind() != kind) {
                throw new CodecException("stored " + kind.wireName() + " sample reads as " + s.kind().wireName());
            }
            return s;
        } catch (IOException e) {
            throw new CodecException("stored JSON sample does not parse: " + e.getMessage(), e);
        }
    }

    static byte[] deflate(byte[] plain) {
        Deflater d = DEFLATERS.get();
        d.reset();
        d.setInput(plain);
        d.finish();
        ByteSink out = new ByteSink(plain.length / 2 + 64);
        byte[] buf = new byte[4096];
        while (!d.finished()) {
            int n = d.deflate(buf);
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    static byte[] inflate(byte[] bytes, int offset, int length) {
        Inflater inf = INFLATERS.get();
        inf.reset();
        inf.setInput(bytes, offset, length);
        ByteSink out = new ByteSink(length * 3);
        byte[] buf = new byte[8192];
        try {
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    throw new CodecException("deflated sample truncated");
                }
                out.write(buf, 0, n);
                if (out.size() > 16 * 1024 * 1024) {
                    throw new CodecException("deflated sample larger than 16 MiB");
                }
            }
        } catch (DataFormatException e) {
            throw new CodecException("deflated sample damaged: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
