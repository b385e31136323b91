package io.linkprobe.collector.sites;

import io.linkprobe.collector.config.Limits;
import io.linkprobe.collector.http.RefusedException;
import io.linkprobe.collector.http.RejectReason;
import io.linkprobe.collector.metrics.LinkAggregator;
import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every site the collector knows, silent ones included (until archive retention forgets them), each
 * held once as a {@link Site} with its figures and its meters under one lock. Each part of a site's
 * life touches it here once: admission against the site and target limits, a stored push (meters
 * and figures), restore after a restart, series expiry after {@code series_ttl} of silence, and
 * retention forgetting it; the views for {@code /api/v1/sites} and the status page read it.
 *
 * <p>One clock decides silence for all of them: a site is silent once its last push is older than
 * {@code series_ttl}. Then its targets stop counting as live, its measurement series leave
 * /metrics, and its view says {@code series_expired}.
 */
public final class SiteRegistry {
    private final Limits limits;
    private final Duration seriesTtl;
    private final LinkAggregator aggregator;
    private final Map<String, Site> sites = new ConcurrentHashMap<>();
    private final Object admissions = new Object();
    private volatile LinkChangeListener linkChanges = (site, from, to, atMillis) -> { };

    /** Told when a site's pushed {@code link} label changes: a cut-over learned without a fleet file. */
    @FunctionalInterface
    public interface LinkChangeListener {
        /**
         * @param from the site's previous identity (the old label)
         * @param to the identity of the first push with the new label
         * @param atMillis the earliest end time of that push's samples (its receipt time if none)
         */
        void changed(String site, AgentIdentity from, AgentIdentity to, long atMillis);
    }

    /** Sets who hears of link label changes; called on the ingest thread, so it must not block. */
    public void onLinkChange(LinkChangeListener listener) {
        linkChanges = listener;
    }

    public SiteRegistry(Limits limits, Duration seriesTtl, LinkAggregator aggregator) {
        this.limits = limits;
        this.seriesTtl = seriesTtl;
        this.aggregator = aggregator;
    }

    /**
     * Admits a push of {@code agent} naming {@code targets}, or refuses it: a new site beyond
     * {@code max_sites}, or more live targets (seen within the series TTL) than
     * {@code max_targets_per_site}. Admitted targets count as live from now.
     */
    public void admit(AgentIdentity agent, Set<String> targets, long nowMillis) throws RefusedException {
        while (true) {
            Site site = sites.get(agent.site());
            if (site == null) {
                site = admitNew(agent.site());
            }
            synchronized (site) {
                if (!site.forgotten) {
                    admitTargets(site, targets, nowMillis);
                    return;
                }
            }
        }
    }

    private Site admitNew(String name) throws RefusedException {
        synchronized (admissions) {
            Site site = sites.get(name);
            if (site == null) {
                if (sites.size() >= limits.maxSites()) {
                    throw new RefusedException(RejectReason.MAX_SITES, "the collector already serves "
                            + limits.maxSites() + " sites (limits.max_sites); site '" + name
                            + "' is refused until the limit is raised");
                }
                site = newSite(name);
                sites.put(name, site);
            }
            return site;
        }
    }

    private void admitTargets(Site site, Set<String> targets, long nowMillis) throws RefusedException {
        long liveSince = nowMillis - seriesTtl.toMillis();
        Set<String> live = new TreeSet<>(targets);
        site.targetLastSeenMillis.forEach((t, seen) -> {
            if (seen >= liveSince) {
                live.add(t);
            }
        });
        if (live.size() > limits.maxTargetsPerSite()) {
            throw new RefusedException(RejectReason.MAX_TARGETS, "site '" + site.name + "' would have "
                    + live.size() + " targets; at most " + limits.maxTargetsPerSite()
                    + " are allowed (limits.max_targets_per_site); probe fewer targets");
        }
        for (String t : targets) {
            site.targetLastSeenMillis.put(t, nowMillis);
        }
        site.targetLastSeenMillis.values().removeIf(seen -> seen < liveSince);
    }

    /**
     * Records a newly stored batch, received at {@code nowMillis}: its meters (never for a replayed
     * batch, so counters count each probe once) and the site's latest figures.
     */
    public void record(AgentIdentity agent, Collection<Sample> samples, long nowMillis) {
        while (true) {
            Site site = sites.computeIfAbsent(agent.site(), this::newSite);
            AgentIdentity previous = null;
            boolean recorded = false;
            synchronized (site) {
                if (!site.forgotten) {
                    recorded = true;
                    previous = site.identity;
                    site.identity = agent;
                    site.lastPushMillis = Math.max(site.lastPushMillis, nowMillis);
                    aggregator.apply(site.meters, agent, samples, nowMillis, site.lastHealthPushMillis);
                    if (samples.stream().anyMatch(s -> s.kind() == Sample.Kind.HEALTH)) {
                        site.lastHealthPushMillis = Math.max(site.lastHealthPushMillis, nowMillis);
                    }
                    Site.Recorder figures = site.recorder(nowMillis);
                    for (Sample sample : samples) {
                        sample.accept(figures);
                    }
                }
            }
            if (recorded) {
                String was = previous == null ? null : previous.labels().get("link");
                String now = agent.labels().get("link");
                if (was != null && now != null && !was.equals(now)) {
                    long at = samples.stream().mapToLong(Sample::endEpochMillis).min().orElse(nowMillis);
                    linkChanges.changed(agent.site(), previous, agent, at);
                }
                return;
            }
        }
    }

    /**
     * Lists a site known from the archive (after a restart) with its last push, and publishes its
     * presence series, so that its last push time is visible before the agent pushes again.
     */
    public void restore(AgentIdentity agent, long lastPushMillis) {
        Site site = sites.computeIfAbsent(agent.site(), this::newSite);
        synchronized (site) {
            if (site.identity == null) {
                site.identity = agent;
            }
            site.lastPushMillis = Math.max(site.lastPushMillis, lastPushMillis);
            site.lastHealthPushMillis = Math.max(site.lastHealthPushMillis, lastPushMillis);
            aggregator.presence(site.meters, agent, lastPushMillis);
        }
    }

    /**
     * Removes the measurement series of every site silent for longer than the series TTL.
     *
     * @return the number of sites whose series were removed
     */
    public int expireSilent(long nowMillis) {
        long cutoff = nowMillis - seriesTtl.toMillis();
        int expired = 0;
        for (Site site : sites.values()) {
            synchronized (site) {
                if (site.lastPushMillis < cutoff && site.meters.hasSeries()) {
                    site.meters.removeSeries();
                    expired++;
                }
            }
        }
        return expired;
    }

    /** Forgets {@code names} (archive retention has dropped them): their entries and every series. */
    public void forget(Collection<String> names) {
        for (String name : names) {
            Site site = sites.remove(name);
            if (site != null) {
                synchronized (site) {
                    site.forgotten = true;
                    site.meters.removeAll();
                }
            }
        }
    }

    public int size() {
        return sites.size();
    }

    public List<SiteView> views(long nowMillis) {
        List<SiteView> views = new ArrayList<>();
        for (Site site : sites.values()) {
            synchronized (site) {
                if (site.identity != null) {
                    views.add(SiteViews.of(site, nowMillis, seriesTtl));
                }
            }
        }
        views.sort((a, b) -> a.site().compareTo(b.site()));
        return views;
    }

    /** The identity of the site's latest push (its labels and contracted rates), if it has pushed. */
    public Optional<AgentIdentity> identity(String name) {
        Site site = sites.get(name);
        if (site == null) {
            return Optional.empty();
        }
        synchronized (site) {
            return Optional.ofNullable(site.identity);
        }
    }

    public Optional<SiteView> view(String name, long nowMillis) {
        Site site = sites.get(name);
        if (site == null) {
            return Optional.empty();
        }
        synchronized (site) {
            return site.identity == null ? Optional.empty() : Optional.of(SiteViews.of(site, nowMillis, seriesTtl));
        }
    }

    /** The site's last 24 h of latency in buckets, for sparklines; empty for an unknown site. */
    public Optional<DaySeries.Points> day(String name, long nowMillis) {
        Site site = sites.get(name);
        if (site == null) {
            return Optional.empty();
        }
        synchronized (site) {
            return Optional.of(site.day == null ? new DaySeries().points(nowMillis) : site.day.points(nowMillis));
        }
    }

    /** Whether the site's 24 h series has been filled from the archive (see {@link #fillDay}). */
    public boolean dayFromArchive(String name) {
        Site site = sites.get(name);
        if (site == null) {
            return true;
        }
        synchronized (site) {
            return site.dayFromArchive;
        }
    }

    /**
     * Fills the gaps of the site's 24 h series from {@code windows}, the archive's last 24 h: after
     * a restart the in-memory series holds only what arrived since. Buckets that already hold data
     * keep it, so nothing is counted twice. Done once per site.
     */
    public void fillDay(String name, Collection<LatencyWindow> windows, long nowMillis) {
        Site site = sites.get(name);
        if (site == null) {
            return;
        }
        DaySeries archived = new DaySeries();
        windows.forEach(w -> archived.add(w, nowMillis));
        synchronized (site) {
            if (!site.dayFromArchive) {
                if (site.day == null) {
                    site.day = archived;
                } else {
                    site.day.fillGaps(archived, nowMillis);
                }
                site.dayFromArchive = true;
            }
        }
    }

    private Site newSite(String name) {
        return new Site(name, aggregator.meters(name));
    }

    static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }
}
