package io.linkprobe.collector;

import io.linkprobe.collector.archive.Archive;
import io.linkprobe.collector.archive.ArchiveException;
import io.linkprobe.collector.archive.JdbcArchive;
import io.linkprobe.collector.archive.KnownSite;
import io.linkprobe.collector.archive.SqlDialect;
import io.linkprobe.collector.config.CollectorConfig;
import io.linkprobe.collector.config.WebConfig;
import io.linkprobe.collector.http.BasicAuth;
import io.linkprobe.collector.http.Endpoint;
import io.linkprobe.collector.http.HttpServer;
import io.linkprobe.collector.http.Router;
import io.linkprobe.collector.ingest.PushValidator;
import io.linkprobe.collector.ingest.SamplesEndpoint;
import io.linkprobe.collector.metrics.CollectorRegistry;
import io.linkprobe.collector.metrics.LinkAggregator;
import io.linkprobe.collector.metrics.MetricsEndpoint;
import io.linkprobe.collector.metrics.SelfMetrics;
import io.linkprobe.collector.responder.CommonResponders;
import io.linkprobe.collector.responder.EmbeddedResponder;
import io.linkprobe.collector.responder.ResponderFactory;
import io.linkprobe.collector.responder.ResponderPart;
import io.linkprobe.collector.metrics.LinkprobeMeter;
import io.linkprobe.collector.plan.PlanBook;
import io.linkprobe.collector.plan.PlanEndpoint;
import io.linkprobe.collector.plan.Schedule;
import io.linkprobe.collector.web.PoolNote;
import io.micrometer.core.instrument.Counter;
import io.linkprobe.common.wire.ThroughputResult;
import io.linkprobe.collector.plan.Pool;
import io.linkprobe.collector.plan.SiteFacts;
import io.linkprobe.collector.reload.LiveConfig;
import io.linkprobe.collector.reload.ReloadEndpoint;
import io.linkprobe.collector.sites.SiteHistoryEndpoint;
import io.linkprobe.collector.sites.SiteRegistry;
import io.linkprobe.collector.sites.SitesEndpoint;
import io.linkprobe.collector.fleet.FleetFile;
import io.linkprobe.collector.fleet.FleetSite;
import io.linkprobe.collector.fleet.FleetUpgrade;
import io.linkprobe.collector.upgrades.CutOver;
import io.linkprobe.collector.upgrades.CutOverStore;
import io.linkprobe.collector.upgrades.RollupEvidence;
import io.linkprobe.collector.upgrades.TieredEvidence;
import io.linkprobe.collector.upgrades.UpgradeMetrics;
import io.linkprobe.collector.upgrades.Upgrades;
import io.linkprobe.collector.upgrades.UpgradesEndpoint;
import io.linkprobe.collector.upgrades.Verdict;
import io.linkprobe.collector.web.Probes;
import io.linkprobe.collector.web.SitePage;
import io.linkprobe.collector.web.StatusPage;
import io.linkprobe.collector.web.UpgradesPage;
import io.linkprobe.common.config.ConfigException;
import io.linkprobe.common.net.Transports;
import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.Json;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running collector: HTTP listener, archive, aggregation, embedded responder, and the periodic
 * series expiry and archive retention. {@link #start} returns once it is listening; {@link #close}
 * stops it in the reverse order (listener first, so no push is acked after the archive closed).
 *
 * <pre>
 * try (Collector c = Collector.start(config)) {
 *     System.out.println("http://127.0.0.1:" + c.httpPort() + "/metrics");
 * }
 * </pre>
 */
public final class Collector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Collector.class);
    private static final Duration RETENTION_PERIOD = Duration.ofHours(1);
    /** How often linkprobe_upgrade_verdict is recomputed (the verdicts read weeks of rollups). */
    private static final Duration UPGRADE_PERIOD = Duration.ofHours(1);
    /** How often the tokens and fleet files are checked for changes (a new site is admitted within this). */
    private static final Duration FILES_CHECK_PERIOD = Duration.ofSeconds(5);
    /**
     * How often plans are rebuilt between reloads, for sites whose pushes changed their labels
     * (groups) or contracted rates; a rebuild keeps the schedule unless a site's tests changed.
     */
    private static final Duration PLAN_REFRESH_PERIOD = Duration.ofMinutes(1);
    /** How often complete hours are rolled up: an hour's rollup is there within this after it ends. */
    private static final Duration ROLLUP_PERIOD = Duration.ofMinutes(10);

    /**
     * What a caller may replace: the clock (tests) and the embedded responder's factory.
     *
     * @param responders starts the STAMP reflector and throughput server when
     *     {@code responder.enabled}; {@link #NO_RESPONDER} starts none
     * @param web TLS and basic auth from {@code --web.config.file}; {@link WebConfig#NONE} for neither
     */
    public record Options(Clock clock, ResponderFactory responders, WebConfig web) {
        public static final ResponderFactory NO_RESPONDER = (config, keys, registry, group) -> java.util.List.of();

        public Options(Clock clock, ResponderFactory responders) {
            this(clock, responders, WebConfig.NONE);
        }

        public static Options defaults() {
            return new Options(Clock.systemUTC(), new CommonResponders(), WebConfig.NONE);
        }

        public Options withClock(Clock newClock) {
            return new Options(newClock, responders, web);
        }

        public Options withResponders(ResponderFactory factory) {
            return new Options(clock, factory, web);
        }

        public Options withWeb(WebConfig newWeb) {
            return new Options(clock, responders, newWeb);
        }
    }

    private final CollectorConfig config;
    private final Clock clock;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final PrometheusMeterRegistry registry = new CollectorRegistry();
    private SiteRegistry sites;
    private Archive archive;
    /** The archive database's engine, for the tables kept beside the archive (cut-overs). */
    private SqlDialect dialect;
    private Upgrades upgrades;
    private UpgradeMetrics upgradeMetrics;
    private HttpServer server;
    private EmbeddedResponder responder;
    private LiveConfig live;
    private volatile boolean ready;

    private Collector(CollectorConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    public static Collector start(CollectorConfig config) throws ConfigException, CollectorStartException {
        return start(config, Options.defaults());
    }

    /**
     * Starts a collector.
     *
     * @throws ConfigException when a file the config names is unusable (exit code 2)
     * @throws CollectorStartException when the port, archive or responder cannot be had (exit code 1)
     */
    public static Collector start(CollectorConfig config, Options options) throws ConfigException, CollectorStartException {
        if (config.http().tls() != null && options.web().tlsServerConfig() != null) {
            throw new ConfigException("TLS is set twice, by http.tls in the config and tls_server_config in the web "
                    + "config file; keep one of them.");
        }
        Collector c = new Collector(config, options.clock());
        try {
            c.startParts(options);
            return c;
        } catch (ConfigException | CollectorStartException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void startParts(Options options) throws ConfigException, CollectorStartException {
        resources.push(registry::close);
        resources.push(new SystemMeters(registry));
        SelfMetrics self = new SelfMetrics(registry);
        try {
            CollectorConfig.Archive a = config.archive();
            JdbcArchive jdbc = a.postgres()
                    ? JdbcArchive.openPostgres(a.url(), password(a), a.tiers(), clock, self.archiveWrite())
                    : JdbcArchive.openSqlite(a.path(), a.tiers(), clock, self.archiveWrite());
            archive = jdbc;
            dialect = jdbc.dialect();
            self.watchArchive(() -> archive.writeProblem().isEmpty(), archive::lastRecoveryMillis);
        } catch (ArchiveException e) {
            throw new CollectorStartException(e.getMessage(), e);
        }
        resources.push(archive);
        CutOverStore cutOvers;
        try {
            cutOvers = new CutOverStore(dialect);
        } catch (ArchiveException e) {
            throw new CollectorStartException(e.getMessage(), e);
        }
        resources.push(cutOvers);
        sites = new SiteRegistry(config.limits(), config.seriesTtl(), new LinkAggregator(registry, self.sampleDelay()));
        int known = restoreSites();
        self.watch(archive::queuedBatches, sites::size);
        // Its own thread for the upgrade work: the fleet file's cut-overs are written on every load, and
        // the verdicts of 100 sites read ~1 s of rollups (the seeded test), so 10,000 sites take
        // minutes, which must not hold up the rollup and retention jobs nor the page readers.
        ScheduledExecutorService upgradeWork = Executors.newSingleThreadScheduledExecutor(daemon("collector-upgrades"));
        resources.push(upgradeWork::shutdownNow);
        live = LiveConfig.open(config.tokensFile(), config.fleetFile(), this::embeddedInPool, this::reported,
                (ok, at, tokensFailed) -> {
                    self.configReloaded(ok, at);
                    LiveConfig loaded = live; // null while open() itself loads: recorded just after
                    if (ok && loaded != null) {
                        upgradeWork.execute(() -> recordFleetUpgrades(cutOvers, loaded.fleet()));
                    }
                    if (tokensFailed) {
                        self.tokensReloadFailed();
                    }
                }, clock);
        LiveConfig tokens = live;
        upgradeWork.execute(() -> recordFleetUpgrades(cutOvers, tokens.fleet()));
        self.watchTokens(() -> tokens.get().size());
        self.watchSchedule(() -> tokens.plans().schedule());

        EventLoopGroup workers = Transports.group(0, "collector-http");
        resources.push(() -> workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS));
        SystemMeters.bindEventLoops(registry, workers);
        ExecutorService readers = Executors.newFixedThreadPool(2, daemon("collector-query"));
        resources.push(readers::shutdownNow);

        SiteRegistry siteRegistry = sites;
        sites.onLinkChange((site, from, to, at) -> readers.execute(() -> recordLinkChange(cutOvers, site, from, to, at)));
        CollectorConfig.UpgradeSettings windows = config.upgrades();
        // Whole-hour windows (the default 28 d / 3 d / 28 d) read the hourly rollups; windows of
        // minutes (a compressed lab run) read the raw results while the raw tier holds them.
        upgrades = new Upgrades(cutOvers, windows.wholeHours() ? new RollupEvidence(archive)
                : new TieredEvidence(archive, clock), clock,
                site -> siteRegistry.identity(site).map(id -> id.labels().get("region")).orElse(null),
                windows.before(), windows.settle(), windows.after(),
                Verdict.Rule.DEFAULT.withMinimums(windows.minTests(), windows.minWindows()));
        upgradeMetrics = new UpgradeMetrics(registry);
        UpgradesEndpoint upgradesEndpoint = new UpgradesEndpoint(upgrades, readers);
        // Reads by people and Prometheus take basic auth when the web config has users; pushes keep
        // their site's bearer token, and health checks stay open.
        UnaryOperator<Endpoint> reader = options.web().basicAuth()
                ? new BasicAuth(options.web().basicAuthUsers())::guard : UnaryOperator.identity();
        Router router = new Router()
                .route(HttpMethod.POST, SamplesEndpoint.PATH, new SamplesEndpoint(tokens,
                        new PushValidator(config.limits(), config.archive().rawRetention()), sites, archive, self, clock))
                .route(HttpMethod.GET, PlanEndpoint.PATH, new PlanEndpoint(live, self))
                .route(HttpMethod.POST, ReloadEndpoint.PATH, new ReloadEndpoint(live, config.http().reloadEndpoint(), readers))
                .route(HttpMethod.GET, "/metrics", reader.apply(new MetricsEndpoint(registry, readers)))
                .route(HttpMethod.GET, "/api/v1/sites", reader.apply(new SitesEndpoint(sites, clock, readers)))
                .routePrefix(HttpMethod.GET, SiteHistoryEndpoint.PREFIX,
                        reader.apply(new SiteHistoryEndpoint(sites, archive, clock, readers)))
                .route(HttpMethod.GET, "/-/healthy", Probes.healthy())
                .route(HttpMethod.GET, "/-/ready", Probes.ready(() -> ready ? archive.writeProblem()
                        : java.util.Optional.of("starting or stopping")))
                .route(HttpMethod.GET, "/", reader.apply(new StatusPage(sites, archive, clock, readers, this::poolNote)))
                .routePrefix(HttpMethod.GET, SitePage.PREFIX, reader.apply(new SitePage(sites, archive, clock, readers, config.grafanaUrl())))
                .route(HttpMethod.GET, UpgradesEndpoint.PATH, reader.apply(upgradesEndpoint.list()))
                .route(HttpMethod.GET, UpgradesPage.PATH, reader.apply(new UpgradesPage(upgrades, readers)))
                .routePrefix(HttpMethod.POST, UpgradesEndpoint.SITES_PREFIX, upgradesEndpoint.record());
        try {
            server = HttpServer.start(config, options.web().tlsServerConfig(), workers, router, self);
        } catch (HttpServer.HttpStartException e) {
            throw new CollectorStartException(e.getMessage(), e, e.configError());
        }
        resources.push(server);

        responder = new EmbeddedResponder(config.responder(), options.responders());
        try {
            responder.start(site -> tokens.get().throughputKeys(site), registry, workers);
        } catch (EmbeddedResponder.ResponderStartException e) {
            throw new CollectorStartException(e.getMessage(), e);
        }
        resources.push(responder);
        live.refreshPlans();

        ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(daemon("collector-maintenance"));
        resources.push(maintenance::shutdownNow);
        long expiryMillis = Math.max(1_000, Math.min(60_000, config.seriesTtl().toMillis() / 4));
        repeat(maintenance, "series expiry", Duration.ofMillis(expiryMillis), Duration.ofMillis(expiryMillis),
                this::expireSilentSeries);
        repeat(maintenance, "tokens and fleet file check", FILES_CHECK_PERIOD, FILES_CHECK_PERIOD, live::reloadIfChanged);
        repeat(maintenance, "plan refresh", PLAN_REFRESH_PERIOD, PLAN_REFRESH_PERIOD, live::refreshPlans);
        repeat(maintenance, "archive rollup", ROLLUP_PERIOD, ROLLUP_PERIOD, () -> {
            try {
                archive.rollUp();
            } catch (ArchiveException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        repeat(maintenance, "archive retention", Duration.ofMinutes(1), RETENTION_PERIOD,
                () -> enforceRetention().join());
        repeat(upgradeWork, "upgrade verdicts", Duration.ofSeconds(30), UPGRADE_PERIOD, () -> {
            try {
                upgradeMetrics.publish(upgrades.verdicts(null));
            } catch (ArchiveException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        ready = true;
        log.info("linkprobe collector listening on {}://{}:{} ({}), archive {}, {} sites known, {} tokens",
                server.tls() ? "https" : "http", config.http().bind(), server.port(), Transports.name(),
                config.archive().describe(), known, tokens.get().size());
    }

    /**
     * Runs {@code task} every {@code period}. A scheduled executor silently stops a task that throws,
     * so a failure (the archive's disk full, say) is logged and the task runs again next period.
     */
    private static void repeat(ScheduledExecutorService executor, String name, Duration first, Duration period,
            Runnable task) {
        executor.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("{} failed ({}); it runs again in {} s", name, e.getMessage(), period.toSeconds(), e);
            }
        }, first.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The PostgreSQL password from archive.password_file, or null when none is named. */
    private static String password(CollectorConfig.Archive a) throws ConfigException {
        if (a.passwordFile() == null) {
            return null;
        }
        try {
            return java.nio.file.Files.readString(a.passwordFile()).strip();
        } catch (java.io.IOException e) {
            throw new ConfigException("archive.password_file " + a.passwordFile() + " cannot be read ("
                    + e.getMessage() + "); make it readable by the collector's user.");
        }
    }

    /** Lists the sites the archive knows, with their last push, before anything is accepted. */
    private int restoreSites() throws CollectorStartException {
        try {
            int n = 0;
            for (KnownSite site : archive.knownSites()) {
                try {
                    AgentIdentity identity = Json.mapper().readValue(site.identityJson(), AgentIdentity.class);
                    sites.restore(identity, site.lastPushMillis());
                    n++;
                } catch (java.io.IOException e) {
                    log.warn("archive: site {} has an unreadable identity, skipped: {}", site.site(), e.toString());
                }
            }
            return n;
        } catch (ArchiveException e) {
            throw new CollectorStartException(e.getMessage(), e);
        }
    }

    /** The HTTP port actually bound (useful when the config said 0). */
    public int httpPort() {
        return server.port();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * Re-reads the tokens and fleet files together and puts them in force if both are valid
     * (SIGHUP, POST /-/reload and the 5-second check for changed files all come here).
     */
    public LiveConfig.Outcome reload(String trigger) {
        return live.reload(trigger);
    }

    /** The configuration that reloads change: tokens, fleet file, plans. */
    public LiveConfig live() {
        return live;
    }

    private PoolNote poolNote() {
        PlanBook book = live.plans();
        Schedule s = book.schedule();
        double busy = registry.find(LinkprobeMeter.THROUGHPUT_TESTS.meterName())
                .tag(LinkprobeMeter.Tag.RESULT, ThroughputResult.Outcome.BUSY.wireName()).counters().stream().mapToDouble(Counter::count).sum();
        return new PoolNote(book.siteCount(), book.tests().size(), book.pool().size(), s.demandRatio(), s.stretch(),
                s.unplaced().size(), busy);
    }

    /** The embedded responder as the pool sees it: its bound ports once running, else the configured ones. */
    private Pool.Embedded embeddedInPool() {
        CollectorConfig.Responder r = config.responder();
        EmbeddedResponder running = responder;
        int stamp = running == null ? r.stampPort() : running.port(ResponderPart.STAMP).orElse(r.stampPort());
        int throughput = running == null ? r.throughputPort()
                : running.port(ResponderPart.THROUGHPUT).orElse(r.throughputPort());
        return new Pool.Embedded(r.enabled(), stamp, throughput, r.maxConcurrentTests(), r.advertiseHost());
    }

    /** What a site's latest push declared: labels for its groups, contracted rates for its slot. */
    private Optional<SiteFacts.Reported> reported(String site) {
        return sites.identity(site).map(id -> {
            AgentIdentity.Contract c = id.expected() == null ? AgentIdentity.Contract.NONE : id.expected();
            return new SiteFacts.Reported(id.labels(), c.downBytesPerSecond() * 8 / 1e6, c.upBytesPerSecond() * 8 / 1e6);
        });
    }

    public EmbeddedResponder responder() {
        return responder;
    }

    /** Writes the fleet file's {@code upgrades:} entries as cut-overs (each once: same site and time replaces). */
    private static void recordFleetUpgrades(CutOverStore cutOvers, FleetFile fleet) {
        if (fleet == null || fleet.sites() == null) {
            return;
        }
        int n = 0;
        try {
            for (Map.Entry<String, FleetSite> e : fleet.sites().entrySet()) {
                for (FleetUpgrade u : e.getValue().upgrades()) {
                    cutOvers.record(new CutOver(e.getKey(), u.atMillis(), u.link(), u.downMbps(), u.upMbps(),
                            CutOver.Source.FLEET));
                    n++;
                }
            }
        } catch (ArchiveException e) {
            log.warn("the fleet file's upgrades were not all recorded ({}); they are written again at the next"
                    + " reload", e.getMessage());
            return;
        }
        if (n > 0) {
            log.info("{} cut-overs from the fleet file's upgrades recorded", n);
        }
    }

    /** A site pushed a new {@code link} label: a cut-over at its first result, with the contract it pushed. */
    private static void recordLinkChange(CutOverStore cutOvers, String site, AgentIdentity from, AgentIdentity to,
            long atMillis) {
        AgentIdentity.Contract c = to.expected() == null ? AgentIdentity.Contract.NONE : to.expected();
        CutOver cut = new CutOver(site, atMillis, to.labels().get("link"), c.downBytesPerSecond() * 8 / 1e6,
                c.upBytesPerSecond() * 8 / 1e6, CutOver.Source.LABEL);
        try {
            cutOvers.record(cut);
            log.info("site {} changed link from '{}' to '{}' at {}: cut-over recorded", site,
                    from.labels().get("link"), cut.link(), java.time.Instant.ofEpochMilli(atMillis));
        } catch (ArchiveException e) {
            log.warn("site {} changed link to '{}' but the cut-over was not recorded: {}; record it with"
                    + " POST /api/v1/sites/{}/upgrade", site, cut.link(), e.getMessage(), site);
        }
    }

    public Archive archive() {
        return archive;
    }

    /** Removes the series of sites silent for longer than {@code series_ttl} now (also runs periodically). */
    public int expireSilentSeries() {
        int expired = sites.expireSilent(clock.millis());
        if (expired > 0) {
            log.info("series of {} silent sites removed from /metrics (series_ttl {})", expired, config.seriesTtl());
        }
        return expired;
    }

    /** Rolls up what is pending, drops partitions past retention and forgets sites silent for that long (also runs hourly). */
    public CompletableFuture<Set<String>> enforceRetention() {
        return archive.enforceRetention().whenComplete((forgotten, error) -> {
            if (forgotten != null) {
                sites.forget(forgotten);
            }
        });
    }

    @Override
    public void close() {
        boolean wasReady = ready;
        ready = false;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                log.warn("stopping: {}", e.toString());
            }
        }
        if (wasReady) {
            log.info("linkprobe collector stopped");
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return new io.netty.util.concurrent.DefaultThreadFactory(name, true);
    }
}
