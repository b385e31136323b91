package io.linkprobe.agent.config;

import io.linkprobe.common.config.ByteSizes;
import io.linkprobe.common.config.Durations;
import io.linkprobe.common.config.InvalidValue;
import io.linkprobe.common.config.SettingRules;
import io.linkprobe.common.wire.Names;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The agent's {@code agent.yml}, immutable. Defaults are applied here before validation, so every
 * other class sees a complete, valid config. Keys are snake_case in YAML.
 *
 * <pre>
 * site: gp-leeds-0042
 * collector: {url: https://collector:9862, token_file: /etc/linkprobe/token}
 *   (or urls: [https://collector-a:9862, https://collector-b:9862]: several sharing one archive)
 * labels: {region: yorkshire, link: fttp}
 * expected: {down_mbps: 900, up_mbps: 110}
 * targets:
 *   - {name: hub-leeds, host: 198.18.0.1, stamp_port: 862, throughput_port: 9863}
 * </pre>
 */
public record AgentConfig(
        String site,
        String agentId,
        Path stateDir,
        CollectorEndpoint collector,
        Map<String, String> labels,
        Expected expected,
        Duration window,
        LatencySettings latency,
        ConnectSettings connect,
        ThroughputSettings throughput,
        VideoSettings video,
        SpoolSettings spool,
        List<TargetConfig> targets) {

    public static final int MAX_LABELS = SettingRules.MAX_LABELS;
    public static final int MAX_TARGETS = SettingRules.MAX_TARGETS;

    public AgentConfig {
        if (site == null || site.isBlank()) {
            throw new InvalidValue("site", "'site' is required: the site id this agent reports as, e.g. site: gp-leeds-0042");
        }
        // The collector checks pushes by the same rule (Names): what check-config accepts, it accepts.
        requireName("site", "site", site);
        if (agentId != null) {
            requireName("agent_id", "agent_id", agentId);
        }
        stateDir = stateDir == null ? Path.of("/var/lib/linkprobe") : stateDir;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        SettingRules.labels("labels", labels);
        expected = expected == null ? new Expected(null, null) : expected;
        window = window == null ? SettingRules.DEFAULT_WINDOW : window;
        SettingRules.window(window);
        latency = latency == null ? LatencySettings.DEFAULTS : latency;
        connect = connect == null ? ConnectSettings.DEFAULTS : connect;
        throughput = throughput == null ? ThroughputSettings.DEFAULTS : throughput;
        video = video == null ? VideoSettings.DEFAULTS : video;
        spool = spool == null ? new SpoolSettings(null, null) : spool;
        targets = targets == null ? List.of() : List.copyOf(targets);
        SettingRules.targetNames(targets.stream().map(TargetConfig::name).toList());
        if (collector == null) { // found by fuzzing: check-config and run failed with a NullPointerException
            throw new InvalidValue("collector", "'collector' is required: where the agent pushes its results, "
                    + "e.g. collector: {url: https://collector.example:9862, token_file: /etc/linkprobe/agent.token}");
        }
    }

    /** Refuses {@code value} under {@code key} unless it is a name the collector accepts ({@link Names}). */
    static void requireName(String key, String what, String value) {
        String problem = Names.nameProblem(value);
        if (problem != null) {
            throw new InvalidValue(key, what + " " + problem);
        }
    }

    /**
     * Where results go. {@code caFile} is a PEM bundle of the certificate authorities to trust for
     * an {@code https} collector (an organisation's private CA); without it the JDK's store is used.
     *
     * @param timeout per push request
     * @param backoffMin the first retry after a failed push waits up to this (full jitter), doubling
     * @param backoffMax up to this at most, whatever failed (a refused token too). Default 30 s:
     *     after an outage of any length the spool is delivered within a minute of the collector's
     *     (or a restored token's) return, the wait being at most this plus the catch-up. Full jitter
     *     spreads a region of agents evenly over it: 10,000 agents come back at ~330 a second, which
     *     the replay-storm benchmark shows one collector carrying. (It was 5 minutes: dashboards and
     *     alerts lagged for minutes after every outage.)
     * @param planRefresh how often the agent asks for its plan ({@code GET /api/v1/plan}), each wait
     *     a random ±25 % around it
     * @param urls the collectors in order, for collectors that fail over ({@code collector.urls});
     *     a single {@code url} is the one-element list
     */
    public record CollectorEndpoint(java.net.URI url, Path tokenFile, Path caFile, Duration timeout,
                                    Duration backoffMin, Duration backoffMax, Duration planRefresh,
                                    List<java.net.URI> urls) {
        public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(30);
        public static final Duration DEFAULT_PLAN_REFRESH = Duration.ofMinutes(5);
        /** More collectors than this in {@code urls} is a mistake, not a deployment. */
        public static final int MAX_URLS = 16;

        /** Without {@code plan_refresh}: the default. */
        public CollectorEndpoint(java.net.URI url, Path tokenFile, Path caFile, Duration timeout, Duration backoffMin,
                Duration backoffMax) {
            this(url, tokenFile, caFile, timeout, backoffMin, backoffMax, null, null);
        }

        /** One collector ({@code url}), no {@code urls} list. */
        public CollectorEndpoint(java.net.URI url, Path tokenFile, Path caFile, Duration timeout, Duration backoffMin,
                Duration backoffMax, Duration planRefresh) {
            this(url, tokenFile, caFile, timeout, backoffMin, backoffMax, planRefresh, null);
        }

        /**
         * {@code url} is one collector; {@code urls} several sharing one archive, tried in order
         * (the agent stays with the one that answers and fails over to the next when it stops
         * answering). After construction {@code urls} always holds every collector and {@code url}
         * is its first.
         */
        public CollectorEndpoint {
            if (url != null && urls != null) {
                throw new InvalidValue("urls", "collector.url and collector.urls are both set: keep one, "
                        + "e.g. urls: [https://collector-a:9862, https://collector-b:9862] and no url");
            }
            if (url == null && urls == null) {
                throw new InvalidValue("", "collector.url is required, e.g. url: https://collector.example:9862 "
                        + "(or urls: [...] for several collectors sharing one archive)");
            }
            if (urls != null) {
                if (urls.isEmpty()) {
                    throw new InvalidValue("urls", "collector.urls is empty: list at least one collector, "
                            + "e.g. urls: [https://collector-a:9862, https://collector-b:9862]");
                }
                if (urls.size() > MAX_URLS) {
                    throw new InvalidValue("urls", "collector.urls lists " + urls.size() + " collectors; at most "
                            + MAX_URLS + " are allowed");
                }
                for (int i = 0; i < urls.size(); i++) {
                    checkUrl("urls[" + i + "]", "collector.urls[" + i + "]", urls.get(i), caFile);
                    if (urls.indexOf(urls.get(i)) != i) {
                        throw new InvalidValue("urls[" + i + "]", "collector.urls lists '" + urls.get(i)
                                + "' twice: list each collector once");
                    }
                }
                urls = List.copyOf(urls);
                url = urls.get(0);
            } else {
                checkUrl("url", "collector.url", url, caFile);
                urls = List.of(url);
            }
            timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
            backoffMin = backoffMin == null ? Duration.ofSeconds(1) : backoffMin;
            backoffMax = backoffMax == null ? DEFAULT_BACKOFF_MAX : backoffMax;
            if (backoffMax.compareTo(Duration.ofHours(1)) > 0) {
                throw new InvalidValue("backoff_max", "collector.backoff_max must be at most 1h");
            }
            if (backoffMin.compareTo(Duration.ofMillis(100)) < 0 || backoffMin.compareTo(backoffMax) > 0) {
                throw new InvalidValue("backoff_min", "collector.backoff_min must be between 100ms and collector.backoff_max ("
                        + Durations.format(backoffMax) + ")");
            }
            planRefresh = planRefresh == null ? DEFAULT_PLAN_REFRESH : planRefresh;
            if (planRefresh.compareTo(Duration.ofSeconds(10)) < 0 || planRefresh.compareTo(Duration.ofDays(1)) > 0) {
                throw new InvalidValue("plan_refresh", "collector.plan_refresh must be between 10s and 24h");
            }
        }

        private static void checkUrl(String key, String name, java.net.URI url, Path caFile) {
            if (url == null) {
                throw new InvalidValue(key, name + " is empty: give http:// or https://host:port");
            }
            String scheme = url.getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                throw new InvalidValue(key, name + " must start with http:// or https://, was '" + url + "'");
            }
            if (url.getHost() == null) {
                throw new InvalidValue(key, name + " '" + url + "' has no host");
            }
            if (caFile != null && !"https".equals(scheme)) {
                throw new InvalidValue("ca_file", "collector.ca_file is set but " + name + " '" + url
                        + "' is not https://: use an https:// url or remove ca_file");
            }
        }
    }

    /** The site's contracted line rates in Mbit/s (what the supplier sold). */
    public record Expected(Double downMbps, Double upMbps) {
        public Expected {
            downMbps = downMbps == null ? 0.0 : downMbps;
            upMbps = upMbps == null ? 0.0 : upMbps;
            SettingRules.expectedRates(downMbps, upMbps);
        }

        public double downBytesPerSecond() {
            return downMbps * 1e6 / 8;
        }

        public double upBytesPerSecond() {
            return upMbps * 1e6 / 8;
        }
    }

    /** Durable store of results not yet acknowledged by the collector. */
    public record SpoolSettings(Path path,
            @com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = ByteSizes.LongReader.class) Long maxBytes) {
        public SpoolSettings {
            maxBytes = maxBytes == null ? 64L << 20 : maxBytes;
            if (maxBytes < 1 << 20) {
                throw new InvalidValue("max_bytes", "spool.max_bytes must be at least 1MiB");
            }
        }
    }
}
