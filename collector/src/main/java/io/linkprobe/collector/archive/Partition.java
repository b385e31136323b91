package io.linkprobe.collector.archive;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One partition of the archive: a UTC day of the raw tier (by time of receipt) or a UTC month of
 * the hourly tier (by the hour rolled up). Retention drops partitions whole, so that dropping a
 * day costs the same whatever it holds. Named {@code raw_20250131} and {@code rollup_202501}: the
 * SQLite schema of its attached file, the PostgreSQL table suffix.
 *
 * @param index for {@link Tier#RAW} the day since 1970-01-01, for {@link Tier#HOURLY} the month
 *     since 1970-01 (year × 12 + month − 1 − 1970 × 12)
 */
public record Partition(Tier tier, long index) implements Comparable<Partition> {
    private static final long DAY_MILLIS = 86_400_000L;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyyMM");
    private static final Pattern NAME = Pattern.compile("(raw|rollup)_(\\d{8}|\\d{6})");

    /** The raw partition holding what was received at {@code millis}. */
    public static Partition raw(long millis) {
        return new Partition(Tier.RAW, Math.floorDiv(millis, DAY_MILLIS));
    }

    /** The hourly partition holding the rollup of the hour that contains {@code millis}. */
    public static Partition hourly(long millis) {
        LocalDate d = LocalDate.ofEpochDay(Math.floorDiv(millis, DAY_MILLIS));
        return new Partition(Tier.HOURLY, (d.getYear() - 1970) * 12L + d.getMonthValue() - 1);
    }

    /** The partition named {@code raw_yyyyMMdd} or {@code rollup_yyyyMM}, if that is one. */
    public static Optional<Partition> parse(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            if (m.group(1).equals("raw") && m.group(2).length() == 8) {
                return Optional.of(new Partition(Tier.RAW, LocalDate.parse(m.group(2), DAY).toEpochDay()));
            }
            if (m.group(1).equals("rollup") && m.group(2).length() == 6) {
                YearMonth ym = YearMonth.parse(m.group(2), MONTH);
                return Optional.of(new Partition(Tier.HOURLY, (ym.getYear() - 1970) * 12L + ym.getMonthValue() - 1));
            }
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    public long startMillis() {
        return tier == Tier.RAW ? index * DAY_MILLIS : month().atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    public long endMillis() {
        return tier == Tier.RAW ? (index + 1) * DAY_MILLIS
                : month().plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /** {@code raw_20250131} or {@code rollup_202501}. */
    public String name() {
        return tier == Tier.RAW ? "raw_" + LocalDate.ofEpochDay(index).format(DAY) : "rollup_" + month().format(MONTH);
    }

    public Partition next() {
        return new Partition(tier, index + 1);
    }

    private YearMonth month() {
        return YearMonth.of((int) (1970 + Math.floorDiv(index, 12)), Math.floorMod(index, 12) + 1);
    }

    @Override
    public int compareTo(Partition o) {
        int t = tier.compareTo(o.tier);
        return t != 0 ? t : Long.compare(index, o.index);
    }

    @Override
    public String toString() {
        return name();
    }
}
