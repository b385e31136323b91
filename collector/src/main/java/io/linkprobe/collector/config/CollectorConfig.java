package io.linkprobe.collector.config;

import io.linkprobe.common.config.ConfigException;
import io.linkprobe.common.config.ConfigLoader;
import io.linkprobe.common.config.Durations;
import io.linkprobe.common.config.InvalidValue;
import io.linkprobe.common.net.BindAddress;
import io.linkprobe.common.net.CongestionControl;
import io.linkprobe.common.net.DefaultPorts;
import io.linkprobe.common.throughput.server.ServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The collector's configuration ({@code collector.yml}). Every key has a default except
 * {@code tokens_file}; records fill defaults for what the file leaves out and then validate, so a
 * loaded config is complete and consistent. Relative file paths are resolved against the directory
 * of the config file, so a config directory can be moved as a whole.
 *
 * <pre>
 * http:
 *   bind: 0.0.0.0
 *   port: 9862
 *   tls: {cert_file: collector.crt, key_file: collector.key}   # optional
 * tokens_file: tokens
 * fleet_file: fleet.yml                                         # optional: what every site measures
 * archive: {path: collector.db, raw_retention: 14d, rollup_retention: 400d}
 *   # or PostgreSQL: {url: "jdbc:postgresql://db.example.net:5432/linkprobe?user=linkprobe", password_file: pgpass}
 * series_ttl: 1h
 * responder: {enabled: true, stamp_port: 862, throughput_port: 9863, max_concurrent_tests: 1, busy_poll: false}
 * limits: {max_body_bytes: 1MiB, max_header_bytes: 16KiB, read_timeout: 30s, idle_timeout: 120s, ...}
 * grafana_url: https://grafana.example.org   # optional: site pages link the Grafana site dashboard
 * upgrades: {before: 28d, settle: 3d, after: 28d, min_tests: 10, min_windows: 100}   # verdict windows
 * </pre>
 */
public record CollectorConfig(
        Http http,
        Path tokensFile,
        Path fleetFile,
        Archive archive,
        Duration seriesTtl,
        Responder responder,
        Limits limits,
        String grafanaUrl,
        UpgradeSettings upgrades) {

    public static final Duration DEFAULT_SERIES_TTL = Duration.ofHours(1);

    public CollectorConfig {
        http = http != null ? http : Http.DEFAULT;
        archive = archive != null ? archive : Archive.DEFAULT;
        seriesTtl = seriesTtl != null ? seriesTtl : DEFAULT_SERIES_TTL;
        responder = responder != null ? responder : Responder.DEFAULT;
        limits = limits != null ? limits : Limits.DEFAULT;
        upgrades = upgrades != null ? upgrades : UpgradeSettings.DEFAULT;
        if (tokensFile == null) {
            throw new InvalidValue("tokens_file", "'tokens_file' is required; create one with "
                    + "'linkprobe-collector token new --site SITE --tokens-file FILE' and name it here.");
        }
        requireAtLeast("series_ttl", seriesTtl, Duration.ofMillis(100));
        if (grafanaUrl != null && !grafanaUrl.matches("https?://[^\\s\"<>]+")) {
            throw new InvalidValue("grafana_url", "'grafana_url' must be the http:// or https:// address of the Grafana "
                    + "with linkprobe's dashboards, e.g. https://grafana.example.org");
        }
    }

    /** Without a Grafana link (the form every caller had before grafana_url). */
    public CollectorConfig(Http http, Path tokensFile, Path fleetFile, Archive archive, Duration seriesTtl,
            Responder responder, Limits limits) {
        this(http, tokensFile, fleetFile, archive, seriesTtl, responder, limits, null, null);
    }

    public CollectorConfig withGrafanaUrl(String url) {
        return new CollectorConfig(http, tokensFile, fleetFile, archive, seriesTtl, responder, limits, url, upgrades);
    }

    /**
     * Loads, applies defaults, validates and resolves relative paths against the file's directory.
     * Files the config names must exist: a collector that starts without its tokens accepts nobody.
     */
    public static CollectorConfig load(Path file) throws ConfigException {
        CollectorConfig config = ConfigLoader.load(file, CollectorConfig.class);
        Path dir = file.toAbsolutePath().getParent();
        CollectorConfig resolved = config.resolvedAgainst(dir);
        // Port 0 (any free port) is for tests building a config in code: agents and Prometheus
        // cannot find a collector whose port changes at every start.
        requirePort(file, "http.port", resolved.http().port());
        String bindProblem = BindAddress.problem(resolved.http().bind());
        if (bindProblem != null) {
            throw new ConfigException(ConfigLoader.at(file, "http.bind") + "http.bind " + bindProblem + ".");
        }
        if (resolved.responder().enabled()) {
            requirePort(file, "responder.stamp_port", resolved.responder().stampPort());
            requirePort(file, "responder.throughput_port", resolved.responder().throughputPort());
        }
        requireFile(file, "tokens_file", resolved.tokensFile());
        if (resolved.fleetFile() != null) {
            requireFile(file, "fleet_file", resolved.fleetFile());
        }
        if (resolved.http().tls() != null) {
            requireFile(file, "http.tls.cert_file", resolved.http().tls().certFile());
            requireFile(file, "http.tls.key_file", resolved.http().tls().keyFile());
        }
        if (resolved.archive().postgres()) {
            if (resolved.archive().passwordFile() != null) {
                requireFile(file, "archive.password_file", resolved.archive().passwordFile());
                requireNotBlank(file, "archive.password_file", resolved.archive().passwordFile(),
                        "write the PostgreSQL password in it, or remove password_file if the server needs none");
            }
        } else {
            Path dbDir = resolved.archive().path().toAbsolutePath().getParent();
            if (dbDir != null && Files.exists(dbDir) && !Files.isDirectory(dbDir)) {
                throw new ConfigException(file + ": archive.path " + resolved.archive().path()
                        + " is inside something that is not a directory; point it at a file in a directory.");
            }
        }
        return resolved;
    }

    /** A config for a collector with all defaults but the tokens file (e.g. for an in-process demo). */
    public static CollectorConfig defaults(Path tokensFile) {
        return new CollectorConfig(null, tokensFile, null, null, null, null, null);
    }

    public CollectorConfig withHttp(Http newHttp) {
        return new CollectorConfig(newHttp, tokensFile, fleetFile, archive, seriesTtl, responder, limits, grafanaUrl, upgrades);
    }

    public CollectorConfig withArchive(Archive newArchive) {
        return new CollectorConfig(http, tokensFile, fleetFile, newArchive, seriesTtl, responder, limits, grafanaUrl, upgrades);
    }

    public CollectorConfig withSeriesTtl(Duration ttl) {
        return new CollectorConfig(http, tokensFile, fleetFile, archive, ttl, responder, limits, grafanaUrl, upgrades);
    }

    public CollectorConfig withResponder(Responder newResponder) {
        return new CollectorConfig(http, tokensFile, fleetFile, archive, seriesTtl, newResponder, limits, grafanaUrl, upgrades);
    }

    public CollectorConfig withLimits(Limits newLimits) {
        return new CollectorConfig(http, tokensFile, fleetFile, archive, seriesTtl, responder, newLimits, grafanaUrl, upgrades);
    }

    public CollectorConfig withUpgrades(UpgradeSettings newUpgrades) {
        return new CollectorConfig(http, tokensFile, fleetFile, archive, seriesTtl, responder, limits, grafanaUrl,
                newUpgrades);
    }

    public CollectorConfig withFleetFile(Path newFleetFile) {
        return new CollectorConfig(http, tokensFile, newFleetFile, archive, seriesTtl, responder, limits, grafanaUrl, upgrades);
    }

    CollectorConfig resolvedAgainst(Path dir) {
        Tls tls = http.tls() == null ? null
                : new Tls(resolve(dir, http.tls().certFile()), resolve(dir, http.tls().keyFile()));
        return new CollectorConfig(new Http(http.bind(), http.port(), tls, http.reloadEndpoint()), resolve(dir, tokensFile),
                fleetFile == null ? null : resolve(dir, fleetFile),
                archive.resolvedAgainst(dir), seriesTtl, responder, limits, grafanaUrl, upgrades);
    }

    private static Path resolve(Path dir, Path p) {
        return dir == null || p.isAbsolute() ? p : dir.resolve(p).normalize();
    }

    private static void requireFile(Path config, String key, Path p) throws ConfigException {
        if (!Files.isRegularFile(p)) {
            throw new ConfigException(ConfigLoader.at(config, key) + key + " " + p + " does not exist; create it or fix the path.");
        }
        if (!Files.isReadable(p)) {
            throw new ConfigException(ConfigLoader.at(config, key) + key + " " + p + " is not readable; fix its permissions.");
        }
    }

    private static void requireNotBlank(Path config, String key, Path p, String fix) throws ConfigException {
        try {
            if (Files.readString(p).isBlank()) {
                throw new ConfigException(ConfigLoader.at(config, key) + key + " " + p + " is empty; " + fix + ".");
            }
        } catch (java.io.IOException e) {
            throw new ConfigException(ConfigLoader.at(config, key) + key + " " + p + " cannot be read (" + e.getMessage()
                    + "); make it readable by the collector's user.");
        }
    }

    private static void requirePort(Path config, String key, int port) throws ConfigException {
        if (port < 1 || port > 65535) {
            throw new ConfigException(ConfigLoader.at(config, key) + "'" + key + "' is " + port
                    + "; a port is between 1 and 65535.");
        }
    }

    static void requireAtLeast(String key, Duration value, Duration min) {
        if (value.compareTo(min) < 0) {
            throw new InvalidValue(key, "'" + key + "' is " + Durations.format(value)
                    + "; it must be at least " + Durations.format(min) + ".");
        }
    }

    static void requireRange(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new InvalidValue(key, "'" + key + "' is " + value + "; it must be between "
                    + min + " and " + max + ".");
        }
    }

    /**
     * The HTTP listener. Port 0 picks a free port (tests); TLS is on when {@code tls} is given.
     *
     * @param reloadEndpoint who may {@code POST /-/reload}: {@code loopback} (default: someone on the
     *     collector's own host, like {@code systemctl reload}), {@code any}, or {@code off}
     */
    public record Http(String bind, Integer port, Tls tls, ReloadEndpoint reloadEndpoint) {
        public static final Http DEFAULT = new Http(null, null, null, null);

        public Http(String bind, Integer port, Tls tls) {
            this(bind, port, tls, null);
        }

        public Http {
            bind = bind != null ? bind : "0.0.0.0";
            port = port != null ? port : DefaultPorts.COLLECTOR_HTTP;
            reloadEndpoint = reloadEndpoint != null ? reloadEndpoint : ReloadEndpoint.LOOPBACK;
            if (bind.isBlank()) {
                throw new InvalidValue("bind", "'bind' is empty; write an address such as 0.0.0.0 or 127.0.0.1.");
            }
            requireRange("port", port, 0, 65535);
        }

        public static Http loopback(int port) {
            return new Http("127.0.0.1", port, null);
        }
    }

    /** Who may ask a running collector to re-read its fleet and tokens files over HTTP. */
    public enum ReloadEndpoint { LOOPBACK, ANY, OFF }

    /** PEM certificate chain and PKCS#8 private key for HTTPS. */
    public record Tls(Path certFile, Path keyFile) {
        public Tls {
            if (certFile == null || keyFile == null) {
                throw new InvalidValue("", "'tls' needs both 'cert_file' and 'key_file'.");
            }
        }
    }

    /**
     * The store of every accepted result: SQLite at {@code path} (the default, {@code collector.db}
     * next to the config) or PostgreSQL at {@code url}, with the password, where one is needed,
     * read from {@code password_file} (never written in this file). Raw results are kept
     * {@code raw_retention}, hourly rollups {@code rollup_retention}. {@code retention} is the
     * name {@code raw_retention} had before archive tiers.
     */
    public record Archive(Path path, String url, Path passwordFile, Duration rawRetention, Duration rollupRetention,
            Duration retention) {
        public static final Archive DEFAULT = new Archive(null, null, null, null, null, null);

        public Archive {
            if (path != null && url != null) {
                throw new InvalidValue("url", "archive.path and archive.url are both set; keep archive.path for SQLite"
                        + " or archive.url for PostgreSQL.");
            }
            if (url != null) {
                if (!url.startsWith("jdbc:postgresql:")) {
                    throw new InvalidValue("url", "archive.url must be a PostgreSQL JDBC URL such as"
                            + " jdbc:postgresql://db.example.net:5432/linkprobe?user=linkprobe, not '" + url + "'.");
                }
                if (url.toLowerCase(java.util.Locale.ROOT).matches(".*[?&]password=.*")) {
                    throw new InvalidValue("url", "archive.url holds a password; remove it from the URL and put it in"
                            + " a file named by archive.password_file (readable by the collector only).");
                }
                String hostProblem = postgresHostProblem(url);
                if (hostProblem != null) {
                    throw new InvalidValue("url", "archive.url " + hostProblem + "; the form is"
                            + " jdbc:postgresql://HOST:PORT/DATABASE, e.g. jdbc:postgresql://db.example.net:5432/linkprobe.");
                }
            } else {
                path = path != null ? path : Path.of("collector.db");
                if (passwordFile != null) {
                    throw new InvalidValue("password_file", "archive.password_file is for PostgreSQL (archive.url);"
                            + " remove it, SQLite at archive.path needs none.");
                }
            }
            if (retention != null && rawRetention != null) {
                throw new InvalidValue("retention", "archive.retention and archive.raw_retention are both set;"
                        + " keep raw_retention (retention is its former name).");
            }
            String rawKey = retention != null ? "retention" : "raw_retention";
            rawRetention = rawRetention != null ? rawRetention : retention != null ? retention
                    : io.linkprobe.collector.archive.ArchiveRetention.DEFAULT_RAW;
            retention = null;
            rollupRetention = rollupRetention != null ? rollupRetention
                    : io.linkprobe.collector.archive.ArchiveRetention.DEFAULT_ROLLUP;
            requireAtLeast(rawKey, rawRetention, Duration.ofHours(1));
            if (rollupRetention.compareTo(rawRetention) < 0) {
                throw new InvalidValue("rollup_retention", "archive.rollup_retention ("
                        + Durations.format(rollupRetention) + ") is shorter than archive.raw_retention ("
                        + Durations.format(rawRetention) + "); the rollups must outlive the raw results they summarise.");
            }
            if (url == null) {
                io.linkprobe.collector.archive.ArchiveRetention r =
                        new io.linkprobe.collector.archive.ArchiveRetention(rawRetention, rollupRetention);
                if (r.maxPartitions() > io.linkprobe.collector.archive.SqliteDialect.MAX_PARTITIONS) {
                    throw new InvalidValue("raw_retention", "archive.raw_retention " + Durations.format(rawRetention)
                            + " with rollup_retention " + Durations.format(rollupRetention) + " needs up to "
                            + r.maxPartitions() + " partition files, more than SQLite can open at once ("
                            + io.linkprobe.collector.archive.SqliteDialect.MAX_PARTITIONS + "); shorten them or use"
                            + " PostgreSQL (archive.url).");
                }
            }
        }

        /**
         * What the PostgreSQL driver would refuse only when the collector connects: no database, an
         * empty host or a port that is not 1-65535 in {@code jdbc:postgresql://host[:port][,...]/db}.
         * Null when the URL reads well (or names no host part: {@code jdbc:postgresql:db} is localhost).
         */
        static String postgresHostProblem(String url) {
            String prefix = "jdbc:postgresql://";
            if (!url.startsWith(prefix)) {
                return null;
            }
            String rest = url.substring(prefix.length());
            int slash = rest.indexOf('/');
            int query = rest.indexOf('?');
            if (slash < 0 || query >= 0 && query < slash) {
                return "names no database (the /DATABASE after the host)";
            }
            for (String hostPort : rest.substring(0, slash).split(",", -1)) {
                int colon = hostPort.lastIndexOf(':');
                if (colon < hostPort.lastIndexOf(']') || hostPort.indexOf(':') != colon && !hostPort.startsWith("[")) {
                    colon = -1;  // [v6] without a port, or a bare IPv6 address
                }
                String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
                if (host.isEmpty() && colon < 0) {
                    return "names no host";
                }
                if (colon >= 0) {
                    String port = hostPort.substring(colon + 1);
                    int n;
                    try {
                        n = Integer.parseInt(port);
                    } catch (NumberFormatException e) {
                        n = -1;
                    }
                    if (n < 1 || n > 65535) {
                        return "has port '" + port + "'" + (host.isEmpty() ? "" : " for " + host)
                                + ", not one between 1 and 65535";
                    }
                }
            }
            return null;
        }

        /** SQLite at {@code path}, default retention. */
        public static Archive sqlite(Path path) {
            return new Archive(path, null, null, null, null, null);
        }

        /** PostgreSQL at {@code url}, default retention. */
        public static Archive postgres(String url, Path passwordFile) {
            return new Archive(null, url, passwordFile, null, null, null);
        }

        public Archive withRetention(Duration raw, Duration rollup) {
            return new Archive(path, url, passwordFile, raw, rollup, null);
        }

        public boolean postgres() {
            return url != null;
        }

        /** How long each tier keeps its data. */
        public io.linkprobe.collector.archive.ArchiveRetention tiers() {
            return new io.linkprobe.collector.archive.ArchiveRetention(rawRetention, rollupRetention);
        }

        /** Where the archive is, for messages (a PostgreSQL URL without its query). */
        public String describe() {
            return url == null ? path.toString() : url.replaceFirst("\\?.*$", "");
        }

        Archive resolvedAgainst(Path dir) {
            return new Archive(path == null ? null : resolve(dir, path), url,
                    passwordFile == null ? null : resolve(dir, passwordFile), rawRetention, rollupRetention, null);
        }
    }

    /**
     * The measurement responder (STAMP reflector and throughput server) run inside the collector,
     * so that a region needs one central process. Off when a standalone responder is used instead.
     * Its defaults are those of the standalone {@code agent responder} (both build a
     * {@link io.linkprobe.common.responder.ResponderOptions}).
     *
     * @param busyPoll the reflector polls on a core of its own instead of sleeping (~0.1 ms less RTT)
     * @param advertiseHost the name or address agents reach it at, as plans name it; null = the host
     *     each agent itself used to reach the collector (its request's Host header)
     */
    public record Responder(Boolean enabled, Integer stampPort, Integer throughputPort, Integer maxConcurrentTests,
            String congestionControl, Boolean busyPoll, String advertiseHost) {
        public static final Responder DEFAULT = new Responder(null, null, null, null, null, null, null);
        public static final Responder DISABLED = new Responder(false, null, null, null, null, null, null);

        public Responder(Boolean enabled, Integer stampPort, Integer throughputPort, Integer maxConcurrentTests,
                String congestionControl, Boolean busyPoll) {
            this(enabled, stampPort, throughputPort, maxConcurrentTests, congestionControl, busyPoll, null);
        }

        public Responder {
            if (advertiseHost != null && advertiseHost.isBlank()) {
                throw new InvalidValue("advertise_host", "'advertise_host' is empty; write the name agents reach the "
                        + "responder at, or remove the key to use the host each agent reached the collector at.");
            }
            enabled = enabled != null ? enabled : Boolean.TRUE;
            stampPort = stampPort != null ? stampPort : DefaultPorts.STAMP;
            throughputPort = throughputPort != null ? throughputPort : DefaultPorts.THROUGHPUT;
            maxConcurrentTests = maxConcurrentTests != null ? maxConcurrentTests : ServerOptions.DEFAULT_MAX_CONCURRENT_TESTS;
            busyPoll = busyPoll != null ? busyPoll : Boolean.FALSE;
            requireRange("stamp_port", stampPort, 0, 65535);
            requireRange("throughput_port", throughputPort, 0, 65535);
            requireRange("max_concurrent_tests", maxConcurrentTests, 1, 1000);
            if (congestionControl != null) {
                String problem = CongestionControl.problem(congestionControl);
                if (problem != null) {
                    throw new InvalidValue("congestion_control", "responder.congestion_control " + problem);
                }
            }
        }
    }

    /**
     * The windows and evidence thresholds of the upgrade verdicts (README, "Did the upgrade
     * deliver?"): a {@code before} window ending at the cut-over, a {@code settle} period after it,
     * then an {@code after} window; a side needs {@code min_tests} ok throughput tests per direction
     * (after) and {@code min_windows} latency windows (both sides). Whole hours (the default) read
     * the hourly rollups; windows of minutes (a compressed lab run) read the raw results while the
     * raw tier holds them, which hourly rollups cannot resolve.
     */
    public record UpgradeSettings(Duration before, Duration settle, Duration after, Integer minTests,
            Long minWindows) {
        public static final UpgradeSettings DEFAULT = new UpgradeSettings(null, null, null, null, null);

        public UpgradeSettings {
            before = before != null ? before : Duration.ofDays(28);
            settle = settle != null ? settle : Duration.ofDays(3);
            after = after != null ? after : Duration.ofDays(28);
            minTests = minTests != null ? minTests : 10;
            minWindows = minWindows != null ? minWindows : 100L;
            requireAtLeast("before", before, Duration.ofSeconds(1));
            requireAtLeast("after", after, Duration.ofSeconds(1));
            for (String key : new String[] {"before", "settle", "after"}) {
                Duration d = key.equals("before") ? before : key.equals("settle") ? settle : after;
                if (d.compareTo(Duration.ofDays(400)) > 0) {
                    throw new InvalidValue(key, "'" + key + "' is " + Durations.format(d)
                            + "; it must be at most 400d (the longest the hourly tier is meant to keep).");
                }
            }
            requireRange("min_tests", minTests, 1, 100_000);
            requireRange("min_windows", minWindows, 1, 10_000_000);
        }

        /** Whether every window is a whole number of hours: then the hourly rollups resolve them exactly. */
        public boolean wholeHours() {
            long hour = Duration.ofHours(1).toMillis();
            return before.toMillis() % hour == 0 && settle.toMillis() % hour == 0 && after.toMillis() % hour == 0;
        }
    }
}
