package io.linkprobe.collector.upgrades;

import io.linkprobe.collector.archive.ArchiveException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The verdict of every upgraded site: its latest cut-over, a before window ending at it and an
 * after window starting a settle period after it, compared by {@link Verdict#decide}.
 */
public final class Upgrades {
    public static final Duration BEFORE = Duration.ofDays(28);
    public static final Duration SETTLE = Duration.ofDays(3);
    public static final Duration AFTER = Duration.ofDays(28);

    private final CutOverStore store;
    private final UpgradeEvidence evidence;
    private final Clock clock;
    private final Function<String, String> regionOf;
    private final Duration before;
    private final Duration settle;
    private final Duration after;
    private final Verdict.Rule rule;

    public Upgrades(CutOverStore store, UpgradeEvidence evidence, Clock clock, Function<String, String> regionOf,
                    Duration before, Duration settle, Duration after) {
        this(store, evidence, clock, regionOf, before, settle, after, Verdict.Rule.DEFAULT);
    }

    /** @param rule the verdict's thresholds (collector.yml {@code upgrades:} sets its evidence minimums) */
    public Upgrades(CutOverStore store, UpgradeEvidence evidence, Clock clock, Function<String, String> regionOf,
                    Duration before, Duration settle, Duration after, Verdict.Rule rule) {
        this.store = store;
        this.evidence = evidence;
        this.clock = clock;
        this.regionOf = regionOf;
        this.before = before;
        this.settle = settle;
        this.after = after;
        this.rule = rule;
    }

    public CutOverStore store() {
        return store;
    }

    /** Every upgraded site's verdict, by site; only those in {@code region} when it is not null. */
    public List<SiteUpgrade> verdicts(String region) throws ArchiveException {
        Map<String, CutOver> latest = new LinkedHashMap<>();
        for (CutOver cut : store.all()) {
            latest.put(cut.site(), cut); // ordered by site and time: the last one wins
        }
        long now = clock.millis();
        List<SiteUpgrade> out = new ArrayList<>();
        for (CutOver cut : latest.values()) {
            String siteRegion = regionOf.apply(cut.site());
            if (region != null && !region.equals(siteRegion)) {
                continue;
            }
            out.add(verdict(cut, siteRegion, now));
        }
        return out;
    }

    SiteUpgrade verdict(CutOver cut, String region, long now) throws ArchiveException {
        long beforeFrom = cut.atMillis() - before.toMillis();
        long afterFrom = cut.atMillis() + settle.toMillis();
        long afterTo = afterFrom + after.toMillis();
        Figures b = evidence.figures(cut.site(), beforeFrom, cut.atMillis());
        Figures a = now > afterFrom ? evidence.figures(cut.site(), afterFrom, Math.min(afterTo, now)) : Figures.NONE;
        Verdict v = now < afterTo ? new Verdict(Verdict.Outcome.PENDING,
                List.of("the after window ends " + java.time.Instant.ofEpochMilli(afterTo)))
                : Verdict.decide(b, a, cut.downMbps(), cut.upMbps(), rule);
        return new SiteUpgrade(cut.site(), region, cut, beforeFrom, afterFrom, afterTo, b, a, v);
    }
}
