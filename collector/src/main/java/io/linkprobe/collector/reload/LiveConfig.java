package io.linkprobe.collector.reload;

import io.linkprobe.common.auth.TokenStore;
import io.linkprobe.collector.fleet.FleetFile;
import io.linkprobe.collector.plan.PlanBook;
import io.linkprobe.collector.plan.Pool;
import io.linkprobe.collector.plan.PoolMember;
import io.linkprobe.collector.plan.SiteFacts;
import io.linkprobe.common.config.ConfigException;
import io.linkprobe.common.config.FileStamp;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of the collector's configuration that changes while it runs: the tokens file and the
 * fleet file, and the plans built from them. Both files are read together and swapped in together,
 * so a site never runs on a new fleet file with old tokens or the reverse; if either does not
 * parse, both stay as they were and the reason is returned (and logged once).
 *
 * <p>Reloads come from SIGHUP, {@code POST /-/reload} and the 5-second check for changed files; all
 * go through {@link #reload}. Plans are rebuilt on every reload and, between reloads, when sites'
 * reported labels or rates change ({@link #refreshPlans}).
 */
public final class LiveConfig implements Supplier<TokenStore> {
    private static final Logger log = LoggerFactory.getLogger(LiveConfig.class);

    /** How a reload went. {@code problem} is the one-line reason when it failed. */
    public record Outcome(boolean ok, boolean changed, String problem, String summary) {}

    /** Told of every reload attempt: the self-metrics. */
    public interface Listener {
        void reloaded(boolean ok, long epochMillis, boolean tokensFileFailed);
    }

    private record State(TokenStore tokens, FleetFile fleet, List<PoolMember> pool, FileStamp tokensStamp,
            FileStamp fleetStamp) {}

    private final Path tokensFile;
    private final Path fleetFile;
    private final Supplier<Pool.Embedded> embedded;
    private final SiteFacts facts;
    private final Listener listener;
    private final Clock clock;
    private volatile State state;
    private volatile PlanBook plans = PlanBook.EMPTY;
    private volatile boolean planned;
    private String lastProblem;

    private LiveConfig(Path tokensFile, Path fleetFile, Supplier<Pool.Embedded> embedded, SiteFacts facts,
            Listener listener, Clock clock, State state) {
        this.tokensFile = tokensFile;
        this.fleetFile = fleetFile;
        this.embedded = embedded;
        this.facts = facts;
        this.listener = listener;
        this.clock = clock;
        this.state = state;
    }

    /**
     * Reads both files once; a bad file here is a start-up error. Plans are built by the first
     * {@link #refreshPlans} (once the embedded responder's ports are known).
     *
     * @param fleetFile null: no fleet file, the embedded responder is the pool
     * @param embedded the embedded responder as it runs (its bound ports)
     */
    public static LiveConfig open(Path tokensFile, Path fleetFile, Supplier<Pool.Embedded> embedded, SiteFacts facts,
            Listener listener, Clock clock) throws ConfigException {
        State first = read(tokensFile, fleetFile, embedded.get());
        LiveConfig live = new LiveConfig(tokensFile, fleetFile, embedded, facts, listener, clock, first);
        listener.reloaded(true, clock.millis(), false);
        return live;
    }

    private static State read(Path tokensFile, Path fleetFile, Pool.Embedded embedded) throws ConfigException {
        FileStamp tokensStamp = FileStamp.of(tokensFile);
        FileStamp fleetStamp = FileStamp.of(fleetFile);
        return readFleet(readTokens(tokensFile), tokensStamp, fleetFile, fleetStamp, embedded);
    }

    private static TokenStore readTokens(Path tokensFile) throws ConfigException {
        if (FileStamp.of(tokensFile).size() == -1) {
            throw new ConfigException(tokensFile + ": the tokens file is gone; put it back or fix 'tokens_file'.");
        }
        return TokenStore.load(tokensFile);
    }

    private static State readFleet(TokenStore tokens, FileStamp tokensStamp, Path fleetFile, FileStamp fleetStamp,
            Pool.Embedded embedded) throws ConfigException {
        FleetFile fleet = fleetFile == null ? FleetFile.NONE : FleetFile.load(fleetFile);
        List<PoolMember> pool = Pool.of(fleet, embedded, fleetFile == null ? "collector.yml" : fleetFile.toString());
        return new State(tokens, fleet, pool, tokensStamp, fleetStamp);
    }

    /** The fleet file in force ({@link FleetFile#NONE} without one). */
    public FleetFile fleet() {
        return state.fleet;
    }

    /** The tokens in force. */
    @Override
    public TokenStore get() {
        return state.tokens;
    }

    /** The plans in force; {@link PlanBook#EMPTY} until first built. */
    public PlanBook plans() {
        return plans;
    }

    /** Whether plans have been built at least once (the collector is ready to answer for them). */
    public boolean planned() {
        return planned;
    }

    /** Whether a fleet file is configured. */
    public boolean hasFleetFile() {
        return fleetFile != null;
    }

    /** Re-reads both files when either changed since it was last read (the 5-second check). */
    public synchronized Outcome reloadIfChanged() {
        State s = state;
        if (FileStamp.of(tokensFile).equals(s.tokensStamp) && FileStamp.of(fleetFile).equals(s.fleetStamp)) {
            return new Outcome(true, false, null, "unchanged");
        }
        return reload("a changed file");
    }

    /**
     * Re-reads both files and, if both are valid, puts them in force together and rebuilds the plans.
     *
     * @param trigger what asked, for the log ("SIGHUP", "POST /-/reload", ...)
     */
    public synchronized Outcome reload(String trigger) {
        State before = state;
        FileStamp tokensStamp = FileStamp.of(tokensFile);
        FileStamp fleetStamp = FileStamp.of(fleetFile);
        State next;
        boolean tokensFailed = true;
        try {
            TokenStore tokens = readTokens(tokensFile);
            tokensFailed = false;
            next = readFleet(tokens, tokensStamp, fleetFile, fleetStamp, embedded.get());
        } catch (ConfigException e) {
            String problem = e.getMessage() + (e.getMessage().endsWith(".") ? "" : ".")
                    + " The configuration in force stays (" + before.tokens.size()
                    + (before.tokens.size() == 1 ? " token" : " tokens")
                    + (fleetFile == null ? "" : " and the fleet file last loaded") + ") until the file is fixed.";
            if (!problem.equals(lastProblem)) {
                log.error("reload ({}) failed: {}", trigger, problem);
                lastProblem = problem;
            }
            listener.reloaded(false, clock.millis(), tokensFailed);
            // The stamps move on, so the 5-second check does not retry an unchanged broken file.
            state = new State(before.tokens, before.fleet, before.pool, tokensStamp, fleetStamp);
            return new Outcome(false, false, problem, null);
        }
        lastProblem = null;
        state = next;
        if (next.tokens.size() * 2 < before.tokens.size()) {
            log.error("tokens file {} now holds {} tokens, down from {}: if it was overwritten by mistake (> instead "
                    + "of >>), restore it; the sites without a token are refused from now on", tokensFile,
                    next.tokens.size(), before.tokens.size());
        }
        refreshPlans();
        listener.reloaded(true, clock.millis(), false);
        String summary = summary();
        log.info("reloaded ({}): {}", trigger, summary);
        return new Outcome(true, true, null, summary);
    }

    /**
     * Rebuilds the plans from the configuration in force and what sites reported; keeps the
     * schedule when no site's tests changed.
     */
    public synchronized void refreshPlans() {
        State s = state;
        Set<String> sites = new TreeSet<>(s.tokens.sites());
        sites.addAll(s.fleet.sites().keySet());
        PlanBook previous = plans;
        List<PoolMember> pool = s.pool;
        Pool.Embedded now = embedded.get();
        try {
            pool = Pool.of(s.fleet, now, fleetFile == null ? "collector.yml" : fleetFile.toString());
        } catch (ConfigException e) {
            // Checked when the files were read; the embedded responder's state cannot have changed since.
            throw new IllegalStateException(e.getMessage(), e);
        }
        plans = PlanBook.build(s.fleet, pool, sites, facts, previous);
        planned = true;
    }

    /** One line for the log and the reload endpoint. */
    public String summary() {
        PlanBook p = plans;
        return String.format(java.util.Locale.ROOT, "%d tokens, %d sites planned on %d responders, test demand %.2f of the pool%s",
                state.tokens.size(), p.siteCount(), p.pool().size(), p.schedule().demandRatio(),
                p.schedule().stretch() > 1.0 ? String.format(java.util.Locale.ROOT, ", periods stretched x%.2f",
                        p.schedule().stretch()) : "");
    }
}
