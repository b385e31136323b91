package io.linkprobe.collector.load;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.linkprobe.collector.archive.ArchiveDump;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.Sample;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code count}: what a SQLite archive holds, per site: pushes, samples, and distinct samples (by
 * kind, target, end and every value), so that a sample stored twice under two pushes shows as a
 * duplicate. One line per site: {@code site NAME pushes P samples N distinct D kinds K=n,...} (the
 * distinct samples by kind). For {@code bench/soak.sh}'s produced-vs-stored count.
 */
@Command(name = "count", description = "Count the pushes and samples a SQLite archive holds, per site.")
final class CountCommand implements Callable<Integer> {
    private static final ObjectWriter WRITER = Json.mapper().writerFor(Sample.class);

    @Option(names = "--archive", required = true, description = "the SQLite archive (archive.path)")
    Path archive;

    private static final class Site {
        long pushes;
        long samples;
        final Set<String> distinct = new HashSet<>();
        final Map<String, Long> kinds = new TreeMap<>();
    }

    @Override
    public Integer call() throws Exception {
        Map<String, Site> sites = new TreeMap<>();
        for (ArchiveDump.Push push : ArchiveDump.sqlite(archive)) {
            Site site = sites.computeIfAbsent(push.site(), k -> new Site());
            site.pushes++;
            for (Sample s : push.samples()) {
                site.samples++;
                if (site.distinct.add(s.kind() + "|" + s.target() + "|" + s.endEpochMillis() + "|" + WRITER.writeValueAsString(s))) {
                    site.kinds.merge(String.valueOf(s.kind()), 1L, Long::sum);
                }
            }
        }
        for (Map.Entry<String, Site> e : sites.entrySet()) {
            StringBuilder kinds = new StringBuilder();
            e.getValue().kinds.forEach((k, n) -> kinds.append(kinds.length() == 0 ? "" : ",").append(k).append('=').append(n));
            System.out.printf("site %s pushes %d samples %d distinct %d kinds %s%n", e.getKey(), e.getValue().pushes,
                    e.getValue().samples, e.getValue().distinct.size(), kinds.length() == 0 ? "-" : kinds);
        }
        return 0;
    }
}
