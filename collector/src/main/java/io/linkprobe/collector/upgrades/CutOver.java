package io.linkprobe.collector.upgrades;

import java.util.Objects;

/**
 * A site's change of link: from {@code atMillis} on it is on {@code link} with the contracted rates
 * {@code downMbps}/{@code upMbps} (0 when not known).
 *
 * @param source where it was learned: {@link Source}
 */
public record CutOver(String site, long atMillis, String link, double downMbps, double upMbps, Source source) {

    /** How a cut-over became known. */
    public enum Source {
        /** the fleet file's {@code link} label with {@code since:}, or an {@code upgrades:} entry */
        FLEET,
        /** the first push whose {@code link} label differs from the site's previous one */
        LABEL,
        /** {@code POST /api/v1/sites/{site}/upgrade} */
        MANUAL;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public CutOver {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(source, "source");
        link = link == null ? "" : link;
        if (downMbps < 0 || upMbps < 0 || Double.isNaN(downMbps) || Double.isNaN(upMbps)) {
            throw new IllegalArgumentException("contracted rates must be 0 or more Mbit/s");
        }
    }
}
