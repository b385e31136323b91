package io.linkprobe.collector.config;

import static io.linkprobe.collector.config.CollectorConfig.requireAtLeast;
import static io.linkprobe.collector.config.CollectorConfig.requireRange;

import java.time.Duration;

/**
 * What the collector accepts at the door. Each refusal is answered with a status and a message
 * naming the limit, and counted in {@code linkprobe_collector_rejected_total{reason}}.
 *
 * @param maxBodyBytes a push body, checked on the wire and again after gzip decompression
 * @param maxHeaderBytes all request headers together; the request line has its own fixed 4 KiB
 * @param readTimeout time allowed to receive a whole request once its first byte arrived (slow
 *     senders hold a connection and memory)
 * @param idleTimeout a keep-alive connection with no request for this long is closed; above the
 *     agents' push interval (60 s) so that they keep their connection between pushes
 * @param maxConnections open connections; at 10,000 agents on keep-alive each holds one
 * @param maxSites distinct sites known; each costs series in /metrics
 * @param maxTargetsPerSite distinct targets a site reports within the series TTL
 * @param maxLabelsPerSite labels an agent declares for its site
 * @param maxLabelValueLength characters in a site, target, agent or label value
 */
public record Limits(
        ByteSize maxBodyBytes,
        ByteSize maxHeaderBytes,
        Duration readTimeout,
        Duration idleTimeout,
        Integer maxConnections,
        Integer maxSites,
        Integer maxTargetsPerSite,
        Integer maxLabelsPerSite,
        Integer maxLabelValueLength) {

    public static final Limits DEFAULT = new Limits(null, null, null, null, null, null, null, null, null);

    public Limits {
        maxBodyBytes = maxBodyBytes != null ? maxBodyBytes : ByteSize.ofMebibytes(1);
        maxHeaderBytes = maxHeaderBytes != null ? maxHeaderBytes : ByteSize.ofKibibytes(16);
        readTimeout = readTimeout != null ? readTimeout : Duration.ofSeconds(30);
        idleTimeout = idleTimeout != null ? idleTimeout : Duration.ofSeconds(120);
        maxConnections = maxConnections != null ? maxConnections : 20_000;
        maxSites = maxSites != null ? maxSites : 20_000;
        maxTargetsPerSite = maxTargetsPerSite != null ? maxTargetsPerSite : 16;
        maxLabelsPerSite = maxLabelsPerSite != null ? maxLabelsPerSite : 8;
        maxLabelValueLength = maxLabelValueLength != null ? maxLabelValueLength : 128;
        requireRange("max_body_bytes", maxBodyBytes.bytes(), 1_024, 256L * 1_048_576);
        requireRange("max_header_bytes", maxHeaderBytes.bytes(), 1_024, 1_048_576);
        requireAtLeast("read_timeout", readTimeout, Duration.ofMillis(100));
        requireAtLeast("idle_timeout", idleTimeout, Duration.ofMillis(100));
        requireRange("max_connections", maxConnections, 1, 1_000_000);
        requireRange("max_sites", maxSites, 1, 1_000_000);
        requireRange("max_targets_per_site", maxTargetsPerSite, 1, 1_000);
        requireRange("max_labels_per_site", maxLabelsPerSite, 0, 64);
        requireRange("max_label_value_length", maxLabelValueLength, 8, 1_024);
    }

    public Limits withMaxBodyBytes(ByteSize size) {
        return new Limits(size, maxHeaderBytes, readTimeout, idleTimeout, maxConnections, maxSites,
                maxTargetsPerSite, maxLabelsPerSite, maxLabelValueLength);
    }

    public Limits withTimeouts(Duration read, Duration idle) {
        return new Limits(maxBodyBytes, maxHeaderBytes, read, idle, maxConnections, maxSites,
                maxTargetsPerSite, maxLabelsPerSite, maxLabelValueLength);
    }

    public Limits withMaxConnections(int n) {
        return new Limits(maxBodyBytes, maxHeaderBytes, readTimeout, idleTimeout, n, maxSites,
                maxTargetsPerSite, maxLabelsPerSite, maxLabelValueLength);
    }

    public Limits withSiteLimits(int sites, int targetsPerSite, int labelsPerSite) {
        return new Limits(maxBodyBytes, maxHeaderBytes, readTimeout, idleTimeout, maxConnections, sites,
                targetsPerSite, labelsPerSite, maxLabelValueLength);
    }
}
