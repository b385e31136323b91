package io.linkprobe.collector.sites;

import io.linkprobe.collector.config.Limits;
import io.linkprobe.collector.http.RefusedException;
import io.linkprobe.collector.http.RejectReason;
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
 * Every site the collector knows, silent ones included (until archive retention forgets them):
 * admission against the site and target limits, and the latest figures for {@code /api/v1/sites}
 * and the status page.
 */
public final class SiteDirectory {
    private final Limits limits;
    private final Duration seriesTtl;
    private final Map<String, SiteState> states = new ConcurrentHashMap<>();
    private final Object admissions = new Object();

    public SiteDirectory(Limits limits, Duration seriesTtl) {
        this.limits = limits;
        this.seriesTtl = seriesTtl;
    }

    /**
     * Admits a push of {@code agent} naming {@code targets}, or refuses it: a new site beyond
     * {@code max_sites}, or more live targets (seen within the series TTL) than
     * {@code max_targets_per_site}. Admitted targets count as live from now.
     */
    public void admit(AgentIdentity agent, Set<String> targets, long nowMillis) throws RefusedException {
        SiteState state = states.get(agent.site());
        if (state == null) {
            synchronized (admissions) {
                state = states.get(agent.site());
                if (state == null) {
                    if (states.size() >= limits.maxSites()) {
                        throw new RefusedException(RejectReason.MAX_SITES, "the collector already serves "
                                + limits.maxSites() + " sites (limits.max_sites); site '" + agent.site()
                                + "' is refused until the limit is raised");
                    }
                    state = new SiteState(agent.site());
                    states.put(agent.site(), state);
                }
            }
        }
        synchronized (state) {
            long liveSince = nowMillis - seriesTtl.toMillis();
            Set<String> live = new TreeSet<>(targets);
            state.targetLastSeenMillis.forEach((t, seen) -> {
                if (seen >= liveSince) {
                    live.add(t);
                }
            });
            if (live.size() > limits.maxTargetsPerSite()) {
                throw new RefusedException(RejectReason.MAX_TARGETS, "site '" + agent.site() + "' would have "
                        + live.size() + " targets; at most " + limits.maxTargetsPerSite()
                        + " are allowed (limits.max_targets_per_site); probe fewer targets");
            }
            for (String t : targets) {
                state.targetLastSeenMillis.put(t, nowMillis);
            }
            state.targetLastSeenMillis.values().removeIf(seen -> seen < liveSince);
        }
    }

    /** Records a newly stored batch. */
    public void record(AgentIdentity agent, Collection<Sample> samples, long nowMillis) {
        SiteState state = states.computeIfAbsent(agent.site(), SiteState::new);
        synchronized (state) {
            state.identity = agent;
            state.lastPushMillis = Math.max(state.lastPushMillis, nowMillis);
            SiteState.Recorder recorder = state.recorder(nowMillis);
            for (Sample sample : samples) {
                sample.accept(recorder);
            }
        }
    }

    /** Lists a site known from the archive (after a restart) with its last push. */
    public void restore(AgentIdentity agent, long lastPushMillis) {
        SiteState state = states.computeIfAbsent(agent.site(), SiteState::new);
        synchronized (state) {
            if (state.identity == null) {
                state.identity = agent;
            }
            state.lastPushMillis = Math.max(state.lastPushMillis, lastPushMillis);
        }
    }

    public void forget(Collection<String> sites) {
        sites.forEach(states::remove);
    }

    public int size() {
        return states.size();
    }

    public List<SiteView> views(long nowMillis) {
        List<SiteView> views = new ArrayList<>();
        for (SiteState state : states.values()) {
            synchronized (state) {
                if (state.identity != null) {
                    views.add(SiteViews.of(state, nowMillis, seriesTtl));
                }
            }
        }
        views.sort((a, b) -> a.site().compareTo(b.site()));
        return views;
    }

    public Optional<SiteView> view(String site, long nowMillis) {
        SiteState state = states.get(site);
        if (state == null) {
            return Optional.empty();
        }
        synchronized (state) {
            return state.identity == null ? Optional.empty() : Optional.of(SiteViews.of(state, nowMillis, seriesTtl));
        }
    }

    /** The site's last 24 h of latency in buckets, for sparklines; empty for an unknown site. */
    public Optional<DaySeries.Points> day(String site, long nowMillis) {
        SiteState state = states.get(site);
        if (state == null) {
            return Optional.empty();
        }
        synchronized (state) {
            return Optional.of(state.day == null ? new DaySeries().points(nowMillis) : state.day.points(nowMillis));
        }
    }

    /** Whether the site's 24 h series has been filled from the archive (see {@link #fillDay}). */
    public boolean dayFromArchive(String site) {
        SiteState state = states.get(site);
        if (state == null) {
            return true;
        }
        synchronized (state) {
            return state.dayFromArchive;
        }
    }

    /**
     * Fills the gaps of the site's 24 h series from {@code windows}, the archive's last 24 h: after
     * a restart the in-memory series holds only what arrived since. Buckets that already hold data
     * keep it, so nothing is counted twice. Done once per site.
     */
    public void fillDay(String site, Collection<LatencyWindow> windows, long nowMillis) {
        SiteState state = states.get(site);
        if (state == null) {
            return;
        }
        DaySeries archived = new DaySeries();
        windows.forEach(w -> archived.add(w, nowMillis));
        synchronized (state) {
            if (!state.dayFromArchive) {
                if (state.day == null) {
                    state.day = archived;
                } else {
                    state.day.fillGaps(archived, nowMillis);
                }
                state.dayFromArchive = true;
            }
        }
    }

    static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }
}
