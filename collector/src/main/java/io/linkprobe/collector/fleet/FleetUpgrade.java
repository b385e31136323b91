package io.linkprobe.collector.fleet;

import io.linkprobe.common.config.InvalidValue;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * {@code sites.<id>.upgrades[]}: one cut-over of the site to a new link, as the programme knows it:
 * {@code at} (a date, taken as 00:00 UTC, or an RFC 3339 time), the new {@code link} type and the
 * new contracted rates {@code down_mbps}/{@code up_mbps}. The collector records each in its
 * cut-overs table when the fleet file is loaded; the latest one is judged.
 */
public record FleetUpgrade(String at, String link, Double downMbps, Double upMbps) {

    public FleetUpgrade {
        if (at == null) {
            throw new InvalidValue("at", "an upgrade needs 'at', the date of the cut-over, e.g. at: 2026-03-01");
        }
        atMillis(at);
        if (downMbps == null || upMbps == null || !(downMbps > 0) || !(upMbps > 0)) {
            throw new InvalidValue("down_mbps", "an upgrade needs the new contracted rates 'down_mbps' and 'up_mbps'"
                    + " in Mbit/s, above 0");
        }
        link = link == null ? "" : link;
    }

    /** {@code at} as epoch milliseconds. */
    public long atMillis() {
        return atMillis(at);
    }

    private static long atMillis(String at) {
        try {
            return at.length() == 10 ? LocalDate.parse(at).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()
                    : OffsetDateTime.parse(at).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new InvalidValue("at", "'" + at + "' is neither a date (2026-03-01) nor an RFC 3339 time"
                    + " (2026-03-01T06:00:00Z)");
        }
    }
}
