package io.linkprobe.collector.metrics;

import java.time.Duration;
import java.util.List;

/**
 * Every meter the collector publishes, declared once: Micrometer name (dotted, without unit or
 * {@code _total}, which Micrometer's Prometheus naming adds), kind, base unit, help text, tag keys,
 * and the Prometheus name it must come out as (checked by a test, so a rename cannot slip by).
 *
 * <p>Tag values are bounded: {@code site} by {@code limits.max_sites}, {@code target} by
 * {@code limits.max_targets_per_site}, {@code direction} is {@code down|up}, {@code result} is one
 * of the throughput or video test outcomes, {@code reason} one of {@code RejectReason}. No name is built from data.
 */
public enum LinkprobeMeter {
    RTT("linkprobe.rtt", Kind.TIMER, null, "linkprobe_rtt_seconds",
            "Round-trip time of STAMP probes, every probe of every window", Tag.SITE, Tag.TARGET),
    JITTER("linkprobe.jitter", Kind.GAUGE, "seconds", "linkprobe_jitter_seconds",
            "RFC 3550 jitter of the round-trip time in the latest window", Tag.SITE, Tag.TARGET),
    RTT_MIN("linkprobe.rtt.min", Kind.GAUGE, "seconds", "linkprobe_rtt_min_seconds",
            "Lowest round-trip time in the latest window", Tag.SITE, Tag.TARGET),
    PACKETS_SENT("linkprobe.packets.sent", Kind.COUNTER, null, "linkprobe_packets_sent_total",
            "STAMP test packets sent", Tag.SITE, Tag.TARGET),
    PACKETS_LOST("linkprobe.packets.lost", Kind.COUNTER, null, "linkprobe_packets_lost_total",
            "STAMP test packets lost; up = site to responder (forward), down = responder to site (backward)",
            Tag.SITE, Tag.TARGET, Tag.DIRECTION),
    PACKETS_DUPLICATED("linkprobe.packets.duplicated", Kind.COUNTER, null, "linkprobe_packets_duplicated_total",
            "STAMP replies received more than once", Tag.SITE, Tag.TARGET),
    PACKETS_REORDERED("linkprobe.packets.reordered", Kind.COUNTER, null, "linkprobe_packets_reordered_total",
            "STAMP replies received out of order", Tag.SITE, Tag.TARGET),
    THROUGHPUT("linkprobe.throughput", Kind.GAUGE, "bytes.per.second", "linkprobe_throughput_bytes_per_second",
            "Steady goodput of the latest throughput test (warm-up excluded)", Tag.SITE, Tag.TARGET, Tag.DIRECTION),
    LOADED_RTT("linkprobe.loaded.rtt", Kind.GAUGE, "seconds", "linkprobe_loaded_rtt_seconds",
            "Median round-trip time while the latest throughput test loaded the link", Tag.SITE, Tag.TARGET, Tag.DIRECTION),
    BUFFERBLOAT("linkprobe.bufferbloat", Kind.GAUGE, "seconds", "linkprobe_bufferbloat_seconds",
            "Increase of the median round-trip time under load over idle (RFC 6349 buffer delay)",
            Tag.SITE, Tag.TARGET, Tag.DIRECTION),
    THROUGHPUT_LAST_TEST("linkprobe.throughput.last.test.timestamp", Kind.GAUGE, "seconds",
            "linkprobe_throughput_last_test_timestamp_seconds",
            "Unix time the latest successful throughput test ended (the one the throughput gauges show)",
            Tag.SITE, Tag.TARGET, Tag.DIRECTION),
    PROBE_SUCCESS("linkprobe.probe.success", Kind.GAUGE, null, "linkprobe_probe_success",
            "1 if the target answered the latest window of STAMP probes (probe=stamp) or the latest TCP connect "
                    + "(probe=tcp_connect), 0 if not", Tag.SITE, Tag.TARGET, Tag.PROBE),
    THROUGHPUT_TESTS("linkprobe.throughput.tests", Kind.COUNTER, null, "linkprobe_throughput_tests_total",
            "Throughput tests by outcome", Tag.SITE, Tag.TARGET, Tag.DIRECTION, Tag.RESULT),
    PROBE_BYTES("linkprobe.probe", Kind.COUNTER, "bytes", "linkprobe_probe_bytes_total",
            "Bytes moved by throughput tests, counted against the site's budget", Tag.SITE, Tag.TARGET, Tag.DIRECTION),
    TCP_RETRANSMITS("linkprobe.tcp.retransmits", Kind.COUNTER, null, "linkprobe_tcp_retransmits_total",
            "TCP segments retransmitted during throughput tests (kernel TCP_INFO)", Tag.SITE, Tag.TARGET, Tag.DIRECTION),
    TCP_CONNECT("linkprobe.tcp.connect", Kind.TIMER, null, "linkprobe_tcp_connect_seconds",
            "Time to establish a TCP connection (fallback probe where UDP is blocked)", Tag.SITE, Tag.TARGET),
    VIDEO_CALLS("linkprobe.video.calls", Kind.GAUGE, null, "linkprobe_video_calls",
            "Concurrent video calls the latest video test found the link carries (the ladder's last step not not_ready)",
            Tag.SITE, Tag.TARGET),
    VIDEO_MOS("linkprobe.video.mos", Kind.GAUGE, null, "linkprobe_video_mos",
            "ITU-T G.107 MOS of one call's audio in the latest video test, the worse direction's", Tag.SITE, Tag.TARGET),
    VIDEO_LOSS("linkprobe.video.loss", Kind.GAUGE, "ratio", "linkprobe_video_loss_ratio",
            "Packet loss of one call in the latest video test; up = site to responder", Tag.SITE, Tag.TARGET,
            Tag.DIRECTION),
    VIDEO_JITTER("linkprobe.video.jitter", Kind.GAUGE, "seconds", "linkprobe_video_jitter_seconds",
            "RFC 3550 jitter of one call's one-way transit in the latest video test", Tag.SITE, Tag.TARGET,
            Tag.DIRECTION),
    VIDEO_VERDICT("linkprobe.video.verdict", Kind.GAUGE, null, "linkprobe_video_verdict",
            "Verdict of the latest video test on one call: 2 ready, 1 marginal, 0 not_ready", Tag.SITE, Tag.TARGET),
    VIDEO_TESTS("linkprobe.video.tests", Kind.COUNTER, null, "linkprobe_video_tests_total",
            "Video tests by outcome (ok, unreachable, error)", Tag.SITE, Tag.TARGET, Tag.RESULT),
    VIDEO_BYTES("linkprobe.video.probe", Kind.COUNTER, "bytes", "linkprobe_video_probe_bytes_total",
            "UDP payload bytes moved by video tests, both directions, counted against the site's video budget",
            Tag.SITE, Tag.TARGET),
    EXPECTED_THROUGHPUT("linkprobe.expected.throughput", Kind.GAUGE, "bytes.per.second",
            "linkprobe_expected_throughput_bytes_per_second",
            "The site's contracted line rate, as its agent declares it", Tag.SITE, Tag.DIRECTION),
    SITE_INFO("linkprobe.site.info", Kind.GAUGE, null, "linkprobe_site_info",
            "Always 1; carries the site's region, link type and agent version for joins",
            Tag.SITE, Tag.REGION, Tag.LINK, Tag.AGENT_VERSION),
    AGENT_BUILD_INFO("linkprobe.agent.build.info", Kind.GAUGE, null, "linkprobe_agent_build_info",
            "Always 1; the build the site's agent runs (agents are not scraped: it comes with their pushes)",
            Tag.SITE, Tag.VERSION, Tag.REVISION, Tag.JAVA_VERSION),
    AGENT_LAST_PUSH("linkprobe.agent.last.push.timestamp", Kind.GAUGE, "seconds",
            "linkprobe_agent_last_push_timestamp_seconds",
            "Unix time of the site's latest accepted push; alert on time() minus this", Tag.SITE),
    SAMPLE_DELAY("linkprobe.sample.delay", Kind.TIMER, null, "linkprobe_sample_delay_seconds",
            "Time from the end of a measurement to its ingest (spooled results arrive late)"),
    AGENT_SPOOL_DROPPED("linkprobe.agent.spool.dropped", Kind.COUNTER, null, "linkprobe_agent_spool_dropped_total",
            "Results an agent dropped because its spool was full", Tag.SITE),
    AGENT_SPOOL_RECOVERED("linkprobe.agent.spool.recovered", Kind.COUNTER, null, "linkprobe_agent_spool_recovered_total",
            "Times an agent found its spool corrupt at start, moved it aside and started a new one (results on"
                    + " unreadable pages are lost; the agent's log says how many)", Tag.SITE),
    AGENT_IMPLAUSIBLE_DROPPED("linkprobe.agent.implausible.dropped", Kind.COUNTER, null,
            "linkprobe_agent_implausible_dropped_total",
            "Results an agent measured but dropped before spooling because they failed the plausibility rules (a bug)",
            Tag.SITE),
    UPGRADE_VERDICT("linkprobe.upgrade.verdict", Kind.GAUGE, null, "linkprobe_upgrade_verdict",
            "Verdict of the site's latest upgrade (cut-over): 1 delivered, 2 partly delivered, 3 not delivered,"
                    + " 0 insufficient data, -1 pending (after window not over)", Tag.SITE),

    BUILD_INFO("linkprobe.build.info", Kind.GAUGE, null, "linkprobe_build_info",
            "Always 1; the collector's version, git revision and Java runtime", Tag.VERSION, Tag.REVISION, Tag.JAVA_VERSION),
    COLLECTOR_INGESTED("linkprobe.collector.ingested", Kind.COUNTER, null, "linkprobe_collector_ingested_total",
            "Results accepted and stored"),
    COLLECTOR_DUPLICATES("linkprobe.collector.duplicates", Kind.COUNTER, null, "linkprobe_collector_duplicates_total",
            "Pushes that replayed a batch already stored; acked, not counted again"),
    COLLECTOR_REJECTED("linkprobe.collector.rejected", Kind.COUNTER, null, "linkprobe_collector_rejected_total",
            "Requests and connections refused, by reason", Tag.REASON),
    COLLECTOR_ARCHIVE_WRITE("linkprobe.collector.archive.write", Kind.TIMER, null,
            "linkprobe_collector_archive_write_seconds",
            "Duration of one archive transaction (group commit of many pushes)"),
    COLLECTOR_ARCHIVE_QUEUE("linkprobe.collector.archive.queue", Kind.GAUGE, null,
            "linkprobe_collector_archive_queue",
            "Pushes waiting for the archive writer; at capacity pushes get 503"),
    COLLECTOR_ARCHIVE_WRITABLE("linkprobe.collector.archive.writable", Kind.GAUGE, null,
            "linkprobe_collector_archive_writable",
            "1 while the archive's last transaction committed; 0 while it cannot write (disk full, I/O error),"
                    + " when pushes get 503 and /-/ready 503"),
    COLLECTOR_ARCHIVE_LAST_RECOVERY("linkprobe.collector.archive.last.recovery.timestamp", Kind.GAUGE, "seconds",
            "linkprobe_collector_archive_last_recovery_timestamp_seconds",
            "Unix time the archive was last found corrupt at start, moved aside and rebuilt; 0 if never"),
    COLLECTOR_SITES("linkprobe.collector.sites", Kind.GAUGE, null, "linkprobe_collector_sites",
            "Sites known to this collector (bounded by limits.max_sites)"),
    COLLECTOR_TOKENS("linkprobe.collector.tokens", Kind.GAUGE, null, "linkprobe_collector_tokens",
            "Tokens in force from the tokens file (re-read when it changes)"),
    COLLECTOR_TOKENS_RELOAD_FAILURES("linkprobe.collector.tokens.reload.failures", Kind.COUNTER, null,
            "linkprobe_collector_tokens_reload_failures_total",
            "Reloads refused because the tokens file was unreadable, gone or invalid; the files loaded before stay in force"),
    COLLECTOR_CONFIG_RELOAD_SUCCESSFUL("linkprobe.collector.config.last.reload.successful", Kind.GAUGE, null,
            "linkprobe_collector_config_last_reload_successful",
            "1 if the last reload of the tokens and fleet files succeeded, 0 if it failed (the previous files stay in force)"),
    COLLECTOR_CONFIG_RELOAD_TIMESTAMP("linkprobe.collector.config.last.reload.success.timestamp", Kind.GAUGE, "seconds",
            "linkprobe_collector_config_last_reload_success_timestamp_seconds",
            "Unix time of the last successful load of the tokens and fleet files"),
    COLLECTOR_TEST_DEMAND("linkprobe.collector.test.demand.ratio", Kind.GAUGE, null,
            "linkprobe_collector_test_demand_ratio",
            "Scheduled test-seconds over the responder pool's available test-seconds, before stretching; above 1 the "
                    + "pool cannot carry the fleet's schedule as asked"),
    COLLECTOR_TEST_STRETCH("linkprobe.collector.test.stretch.ratio", Kind.GAUGE, null,
            "linkprobe_collector_test_stretch_ratio",
            "The factor every throughput period is stretched by so that the pool carries them all (1 = as asked)"),
    RESPONDER_STAMP_REFLECTED("linkprobe.collector.stamp.reflected", Kind.COUNTER, null,
            "linkprobe_collector_stamp_reflected_total", "STAMP test packets the embedded reflector answered"),
    RESPONDER_STAMP_MALFORMED("linkprobe.collector.stamp.malformed", Kind.COUNTER, null,
            "linkprobe_collector_stamp_malformed_total", "Datagrams on the STAMP port that were not valid test packets (dropped)"),
    RESPONDER_STAMP_SESSIONS("linkprobe.collector.stamp.sessions", Kind.GAUGE, null,
            "linkprobe_collector_stamp_sessions", "STAMP sessions the embedded reflector keeps state for"),
    RESPONDER_THROUGHPUT_RUNNING("linkprobe.collector.throughput.running", Kind.GAUGE, null,
            "linkprobe_collector_throughput_running", "Throughput tests the embedded responder is serving now"),
    RESPONDER_THROUGHPUT_QUEUE("linkprobe.collector.throughput.queue", Kind.GAUGE, null,
            "linkprobe_collector_throughput_queue", "Agents told busy and holding a place in the responder's queue");

    /** How a meter is exposed. Timers carry explicit histogram buckets in seconds. */
    public enum Kind { COUNTER, GAUGE, TIMER }

    /** The tag keys; their values are bounded as the enum's Javadoc says. */
    public static final class Tag {
        public static final String SITE = "site";
        public static final String TARGET = "target";
        public static final String DIRECTION = "direction";
        public static final String RESULT = "result";
        public static final String REGION = "region";
        public static final String LINK = "link";
        public static final String AGENT_VERSION = "agent_version";
        public static final String REASON = "reason";
        public static final String PROBE = "probe";
        public static final String VERSION = "version";
        public static final String REVISION = "revision";
        public static final String JAVA_VERSION = "java_version";

        private Tag() {}
    }

    private final String meterName;
    private final Kind kind;
    private final String baseUnit;
    private final String prometheusName;
    private final String description;
    private final List<String> tagKeys;

    LinkprobeMeter(String meterName, Kind kind, String baseUnit, String prometheusName, String description,
            String... tagKeys) {
        this.meterName = meterName;
        this.kind = kind;
        this.baseUnit = baseUnit;
        this.prometheusName = prometheusName;
        this.description = description;
        this.tagKeys = List.of(tagKeys);
    }

    public String meterName() {
        return meterName;
    }

    public Kind kind() {
        return kind;
    }

    /** Null for counters of events and for timers (Micrometer's Prometheus timers are in seconds). */
    public String baseUnit() {
        return baseUnit;
    }

    public String prometheusName() {
        return prometheusName;
    }

    public String description() {
        return description;
    }

    public List<String> tagKeys() {
        return tagKeys;
    }

    /** Histogram bucket bounds of a timer; empty for other kinds. */
    public List<Duration> buckets() {
        return switch (this) {
            case RTT -> Buckets.RTT;
            case TCP_CONNECT -> Buckets.TCP_CONNECT;
            case SAMPLE_DELAY -> Buckets.SAMPLE_DELAY;
            case COLLECTOR_ARCHIVE_WRITE -> Buckets.ARCHIVE_WRITE;
            default -> List.of();
        };
    }
}
