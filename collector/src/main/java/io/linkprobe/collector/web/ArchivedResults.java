package io.linkprobe.collector.web;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.linkprobe.collector.archive.Archive;
import io.linkprobe.collector.archive.ArchiveException;
import io.linkprobe.collector.archive.StoredSample;
import io.linkprobe.collector.sites.SiteRegistry;
import io.linkprobe.common.wire.ConnectResult;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.ThroughputResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A site's archived results as wire records, newest first, for the pages. */
final class ArchivedResults {
    static final Duration DAY = Duration.ofHours(24);
    /** 24 h of 60 s windows towards 7 targets; a site probing more shows its newest windows only. */
    static final int MAX_WINDOWS = 10_080;
    /** Agents may run a little ahead of the collector's clock; their newest results still count. */
    private static final long FUTURE_MILLIS = 10 * 60_000L;

    private static final Logger log = LoggerFactory.getLogger(ArchivedResults.class);
    /** The raw RTTs are for exact histograms; the pages use the window summaries and skip them. */
    private static final ObjectMapper PAGES = Json.mapper().copy().addMixIn(LatencyWindow.class, WithoutRawRtts.class);
    private static final ObjectReader LATENCY = PAGES.readerFor(LatencyWindow.class);
    private static final ObjectReader THROUGHPUT = PAGES.readerFor(ThroughputResult.class);
    private static final ObjectReader CONNECT = PAGES.readerFor(ConnectResult.class);

    @JsonIgnoreProperties({"rtt_micros"})
    private abstract static class WithoutRawRtts {}

    private final Archive archive;

    ArchivedResults(Archive archive) {
        this.archive = archive;
    }

    /** Latency windows of the 24 h before {@code nowMillis}, at most {@code limit}. */
    List<LatencyWindow> windows(String site, long nowMillis, int limit) throws ArchiveException {
        return read(archive.recent(site, Sample.Kind.LATENCY.wireName(), nowMillis - DAY.toMillis(),
                nowMillis + FUTURE_MILLIS, limit), LATENCY);
    }

    List<ThroughputResult> tests(String site, long nowMillis, Duration span, int limit) throws ArchiveException {
        return read(archive.recent(site, Sample.Kind.THROUGHPUT.wireName(), nowMillis - span.toMillis(),
                nowMillis + FUTURE_MILLIS, limit), THROUGHPUT);
    }

    List<ConnectResult> connects(String site, long nowMillis, int limit) throws ArchiveException {
        return read(archive.recent(site, Sample.Kind.CONNECT.wireName(), nowMillis - DAY.toMillis(),
                nowMillis + FUTURE_MILLIS, limit), CONNECT);
    }

    /**
     * Fills the site's in-memory 24 h series from the archive once (after a restart it holds only
     * what arrived since), from {@code windows} if the caller has read them already.
     */
    void refillDay(SiteRegistry sites, String site, long nowMillis, List<LatencyWindow> windows)
            throws ArchiveException {
        if (!sites.dayFromArchive(site)) {
            sites.fillDay(site, windows != null ? windows : windows(site, nowMillis, MAX_WINDOWS), nowMillis);
        }
    }

    /**
     * Reads rows of one kind with that kind's reader: the archive selected them by their type
     * column, and the reader refuses a row whose JSON {@code type} is another kind.
     */
    private static <T extends Sample> List<T> read(List<StoredSample> rows, ObjectReader reader) {
        List<T> samples = new ArrayList<>(rows.size());
        for (StoredSample row : rows) {
            try {
                samples.add(reader.readValue(row.json()));
            } catch (IOException e) {
                // Written by this collector from a validated sample; a row that does not read back is skipped.
                log.debug("unreadable archive row of type {}: {}", row.type(), e.toString());
            }
        }
        return samples;
    }
}
