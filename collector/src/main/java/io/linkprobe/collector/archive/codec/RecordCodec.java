package io.linkprobe.collector.archive.codec;

import io.linkprobe.common.wire.Names;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The wire records (Java records of numbers, strings, lists, maps, int arrays and nested records)
 * in a compact binary form, by their components in declaration order:
 *
 * <pre>
 * record := varint length | component...       (a reader skips components it does not know,
 *                                               and gives components written by none the default)
 * long, int       zigzag varint; a long named *EpochMillis as its difference from the push's base time
 * Long, Integer   byte 0 (null) | byte 1, zigzag varint
 * double, Double  varint tag: (zigzag(v) &lt;&lt; 2) integral | (zigzag(v × 1000) &lt;&lt; 2 | 1) exact in thousandths
 *                 | 2, then 8 bytes IEEE 754 | 3 null
 * boolean         byte 0 | 1 | 2 (null)
 * String          varint 0 (null) | index + 1 in the push's string table ({@link PushCodec}): a
 *                 target or host repeated in every sample of a push is written once
 * enum            varint UTF-8 length + 1 (0 = null), bytes
 * int[]           {@link RiceInts}
 * List, Map       varint size + 1 (0 = null), elements (a map: key, value)
 * </pre>
 *
 * <p>Components are matched by position, so a record's components may be added at the end but
 * never reordered or removed while archives written before hold them; {@code RecordCodecTest}
 * pins each archived record's components and fails on such a change.
 */
final class RecordCodec {
    /** What a field codec needs beyond its value: the base time of {@code *EpochMillis} fields. */
    static final class Context {
        final long baseMillis;
        /** The push's strings, each written once in the push's header and referred to by index. */
        private final Map<String, Integer> written = new LinkedHashMap<>();
        private final List<String> read = new ArrayList<>();

        Context(long baseMillis) {
            this.baseMillis = baseMillis;
        }

        void writeString(ByteSink out, String s) {
            if (s == null) {
                out.varint(0);
                return;
            }
            out.varint(written.computeIfAbsent(s, k -> written.size()) + 1L);
        }

        String readString(ByteSource in) {
            long tag = in.varint();
            if (tag == 0) {
                return null;
            }
            if (tag < 0 || tag > read.size()) { // a varint of 10 bytes can be negative
                throw new CodecException("string " + (tag - 1) + " of a push with " + read.size());
            }
            return read.get((int) (tag - 1));
        }

        /** The strings the records referred to: varint count, then each as {@link ByteSink#string}. */
        void writeTable(ByteSink out) {
            out.varint(written.size());
            written.keySet().forEach(out::string);
        }

        void readTable(ByteSource in) {
            int n = in.length();
            for (int i = 0; i < n; i++) {
                String s = in.string();
                if (s == null) {
                    throw new CodecException("a null in a push's string table");
                }
                read.add(s);
            }
        }
    }

    private interface Field {
        void write(ByteSink out, Object value, Context ctx);

        Object read(ByteSource in, Context ctx);
    }

    private record Layout(RecordComponent[] components, Field[] fields, Object[] defaults, Constructor<?> constructor) {}

    private static final ClassValue<Optional<Layout>> LAYOUTS = new ClassValue<>() {
        @Override
        protected Optional<Layout> computeValue(Class<?> type) {
            return layout(type);
        }
    };

    private RecordCodec() {}

    /** Whether every component of {@code type} (a record) has a binary form here. */
    static boolean supports(Class<?> type) {
        return LAYOUTS.get(type).isPresent();
    }

    static void write(ByteSink out, Record value, Context ctx) {
        Layout layout = LAYOUTS.get(value.getClass()).orElseThrow(
                () -> new IllegalArgumentException(value.getClass() + " has a component with no binary form"));
        ByteSink body = new ByteSink(64);
        try {
            for (int i = 0; i < layout.fields.length; i++) {
                layout.fields[i].write(body, layout.components[i].getAccessor().invoke(value), ctx);
            }
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("reading " + value.getClass().getSimpleName() + "'s components", e);
        }
        out.varint(body.size());
        out.write(body);
    }

    static <T> T read(ByteSource in, Class<T> type, Context ctx) {
        Layout layout = LAYOUTS.get(type).orElseThrow(
                () -> new IllegalArgumentException(type + " has a component with no binary form"));
        int length = in.length();
        int end = in.position() + length;
        Object[] args = layout.defaults.clone();
        for (int i = 0; i < layout.fields.length && in.position() < end; i++) {
            args[i] = layout.fields[i].read(in, ctx);
        }
        if (in.position() > end) {
            throw new CodecException(type.getSimpleName() + " read beyond its length");
        }
        in.skip(end - in.position()); // components a newer version wrote
        try {
            return type.cast(layout.constructor.newInstance(args));
        } catch (InvocationTargetException e) {
            throw new CodecException("stored " + type.getSimpleName() + " refused by its constructor: "
                    + e.getCause(), e.getCause());
        } catch (InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Layout> layout(Class<?> type) {
        if (!type.isRecord()) {
            return Optional.empty();
        }
        RecordComponent[] components = type.getRecordComponents();
        Field[] fields = new Field[components.length];
        Object[] defaults = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            Field f = field(c.getType(), c.getGenericType(), c.getName());
            if (f == null) {
                return Optional.empty();
            }
            fields[i] = f;
            types[i] = c.getType();
            defaults[i] = defaultOf(c.getType());
            c.getAccessor().setAccessible(true);
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return Optional.of(new Layout(components, fields, defaults, constructor));
        } catch (NoSuchMethodException e) {
            return Optional.empty();
        }
    }

    private static Object defaultOf(Class<?> t) {
        if (t == long.class) {
            return 0L;
        } else if (t == int.class) {
            return 0;
        } else if (t == double.class) {
            return 0.0;
        } else if (t == boolean.class) {
            return false;
        }
        return null;
    }

    /** The codec of one component type, or null if it has none. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Field field(Class<?> t, Type generic, String name) {
        if (t == long.class) {
            return name.endsWith("EpochMillis") ? new Field() {
                @Override
                public void write(ByteSink out, Object v, Context ctx) {
                    out.signed((Long) v - ctx.baseMillis);
                }

                @Override
                public Object read(ByteSource in, Context ctx) {
                    return in.signed() + ctx.baseMillis;
                }
            } : of((out, v) -> out.signed((Long) v), ByteSource::signed);
        } else if (t == int.class) {
            return of((out, v) -> out.signed((Integer) v), in -> toInt(in.signed()));
        } else if (t == Long.class) {
            return nullable(of((out, v) -> out.signed((Long) v), ByteSource::signed));
        } else if (t == Integer.class) {
            return nullable(of((out, v) -> out.signed((Integer) v), in -> toInt(in.signed())));
        } else if (t == double.class) {
            return of((out, v) -> Numbers.write(out, (Double) v), in -> present(Numbers.read(in), name));
        } else if (t == Double.class) {
            return of((out, v) -> Numbers.write(out, (Double) v), Numbers::read);
        } else if (t == boolean.class || t == Boolean.class) {
            boolean primitive = t == boolean.class;
            return of((out, v) -> out.write(v == null ? 2 : (Boolean) v ? 1 : 0), in -> {
                int b = in.read();
                if (b > 2) {
                    throw new CodecException("boolean " + name + " stored as " + b);
                }
                return b == 2 ? primitive ? present(null, name) : null : b == 1;
            });
        } else if (t == String.class) {
            return new Field() {
                @Override
                public void write(ByteSink out, Object v, Context ctx) {
                    ctx.writeString(out, (String) v);
                }

                @Override
                public Object read(ByteSource in, Context ctx) {
                    return ctx.readString(in);
                }
            };
        } else if (t.isEnum()) {
            Class<? extends Enum> e = (Class<? extends Enum>) t;
            return of((out, v) -> out.string(v == null ? null : ((Enum<?>) v).name()), in -> {
                String s = in.string();
                if (s == null) {
                    return null;
                }
                for (Enum<?> constant : e.getEnumConstants()) {
                    if (constant.name().equals(s)) {
                        return constant;
                    }
                }
                throw new CodecException("no " + e.getSimpleName() + " named " + Names.printable(s));
            });
        } else if (t == int[].class) {
            return of((out, v) -> RiceInts.write(out, (int[]) v), RiceInts::read);
        } else if (t.isRecord()) {
            if (!supports(t)) {
                return null;
            }
            Class<? extends Record> r = (Class<? extends Record>) t;
            return nullable(new Field() {
                @Override
                public void write(ByteSink out, Object v, Context ctx) {
                    RecordCodec.write(out, (Record) v, ctx);
                }

                @Override
                public Object read(ByteSource in, Context ctx) {
                    return RecordCodec.read(in, r, ctx);
                }
            });
        } else if (t == List.class && generic instanceof ParameterizedType p) {
            Type e = p.getActualTypeArguments()[0];
            Field element = e instanceof Class<?> c && !c.isPrimitive() ? field(c, c, "") : null;
            return element == null ? null : list(element);
        } else if (t == Map.class && generic instanceof ParameterizedType p
                && p.getActualTypeArguments()[0] == String.class && p.getActualTypeArguments()[1] == String.class) {
            return map();
        }
        return null;
    }

    private interface Writer {
        void write(ByteSink out, Object value);
    }

    private interface Reader {
        Object read(ByteSource in);
    }

    private static Field of(Writer w, Reader r) {
        return new Field() {
            @Override
            public void write(ByteSink out, Object v, Context ctx) {
                w.write(out, v);
            }

            @Override
            public Object read(ByteSource in, Context ctx) {
                return r.read(in);
            }
        };
    }

    private static Field nullable(Field inner) {
        return new Field() {
            @Override
            public void write(ByteSink out, Object v, Context ctx) {
                out.write(v == null ? 0 : 1);
                if (v != null) {
                    inner.write(out, v, ctx);
                }
            }

            @Override
            public Object read(ByteSource in, Context ctx) {
                return in.read() == 0 ? null : inner.read(in, ctx);
            }
        };
    }

    private static Field list(Field element) {
        return new Field() {
            @Override
            public void write(ByteSink out, Object v, Context ctx) {
                if (v == null) {
                    out.varint(0);
                    return;
                }
                List<?> list = (List<?>) v;
                out.varint(list.size() + 1L);
                for (Object e : list) {
                    element.write(out, e, ctx);
                }
            }

            @Override
            public Object read(ByteSource in, Context ctx) {
                int n = in.sizePlusOne();
                if (n == 0) {
                    return null;
                }
                List<Object> list = new ArrayList<>(n - 1);
                for (int i = 0; i < n - 1; i++) {
                    list.add(element.read(in, ctx));
                }
                return Collections.unmodifiableList(list);
            }
        };
    }

    private static Field map() {
        return of((out, v) -> {
            if (v == null) {
                out.varint(0);
                return;
            }
            Map<?, ?> m = (Map<?, ?>) v;
            out.varint(m.size() + 1L);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.string((String) e.getKey());
                out.string((String) e.getValue());
            }
        }, in -> {
            int n = in.sizePlusOne();
            if (n == 0) {
                return null;
            }
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < n - 1; i++) {
                m.put(in.string(), in.string());
            }
            return m;
        });
    }

    /** A value read for a primitive component: a stored null is damage, not a default. */
    private static Object present(Object v, String name) {
        if (v == null) {
            throw new CodecException("a null stored for the primitive " + name);
        }
        return v;
    }

    private static int toInt(long v) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new CodecException(v + " is not an int");
        }
        return (int) v;
    }

    /** Doubles: integral and thousandths as varints, anything else as its 8 bytes. */
    static final class Numbers {
        private static final double LIMIT = 1L << 52;

        private Numbers() {}

        static void write(ByteSink out, Double v) {
            if (v == null) {
                out.varint(3);
                return;
            }
            double d = v;
            if (isWhole(d)) {
                out.varint(ByteSink.zigzag((long) d) << 2);
                return;
            }
            double milli = Math.rint(d * 1000);
            // -0.0 goes raw: as thousandths it would read back as 0.0 (found by fuzzing)
            if (Math.abs(milli) < LIMIT && milli / 1000 == d && !isNegativeZero(d)) {
                out.varint(ByteSink.zigzag((long) milli) << 2 | 1);
                return;
            }
            out.varint(2);
            out.fixed64(Double.doubleToRawLongBits(d));
        }

        static Double read(ByteSource in) {
            long h = in.varint();
            int tag = (int) (h & 3);
            long z = h >>> 2;
            long v = (z >>> 1) ^ -(z & 1);
            switch (tag) {
                case 0:
                    return (double) v;
                case 1:
                    return v / 1000.0;
                case 2:
                    if (z != 0) {
                        throw new CodecException("a raw double with a payload in its tag");
                    }
                    return Double.longBitsToDouble(in.fixed64());
                default:
                    return null;
            }
        }

        private static boolean isWhole(double d) {
            return Math.abs(d) < LIMIT && d == Math.rint(d) && !isNegativeZero(d);
        }

        private static boolean isNegativeZero(double d) {
            return d == 0 && Double.doubleToRawLongBits(d) != 0;
        }
    }
}
