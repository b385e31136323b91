package io.linkprobe.collector.archive.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * A list of one record type in the binary form of {@link RecordCodec}: varint count, the list's
 * string table (as in {@link PushCodec}), records.
 */
public final class RecordLists {
    private RecordLists() {}

    public static byte[] encode(List<? extends Record> records) {
        if (records == null || records.isEmpty()) {
            return null;
        }
        ByteSink body = new ByteSink(32 * records.size());
        RecordCodec.Context ctx = new RecordCodec.Context(0);
        for (Record r : records) {
            RecordCodec.write(body, r, ctx);
        }
        byte[] bytes = body.toByteArray();
        ByteSink out = new ByteSink(bytes.length + 32);
        out.varint(records.size());
        ctx.writeTable(out);
        out.write(bytes, 0, bytes.length);
        return out.toByteArray();
    }

    public static <T extends Record> List<T> decode(byte[] bytes, Class<T> type) {
        if (bytes == null) {
            return List.of();
        }
        ByteSource in = new ByteSource(bytes);
        RecordCodec.Context ctx = new RecordCodec.Context(0);
        int n = in.length();
        ctx.readTable(in);
        List<T> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(RecordCodec.read(in, type, ctx));
        }
        return list;
    }
}
