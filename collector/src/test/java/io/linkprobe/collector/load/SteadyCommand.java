package io.linkprobe.collector.load;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code steady}: N agents pushing on schedule at an offered rate, measured after a warm-up. */
@Command(name = "steady", description = "Sustained ingest: N agents push fresh windows at an offered rate.")
final class SteadyCommand implements Callable<Integer> {
    @Mixin
    LoadMain.Common common;

    @Option(names = "--rate", defaultValue = "5000",
            description = "offered results (windows) per second over all agents; 0 = closed loop (default ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--warmup", defaultValue = "PT15S", description = "ISO duration not measured (default ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(names = "--duration", defaultValue = "PT60S", description = "ISO duration measured (default ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--throughput-probability", defaultValue = "0.02",
            description = "chance that a push also carries a throughput result")
    double throughputProbability;

    @Option(names = "--label", defaultValue = "steady", description = "the phase name in the result lines")
    String label;

    @Option(names = "--retention-log", description = "instead of --duration: measure from the collector's"
            + " 'archive retention: dropping N partitions' line in this log until N 'dropped partition' lines and"
            + " 2 s more (acks of pushes queued behind the drop arrive), waiting up to --duration for it")
    java.nio.file.Path retentionLog;

    @Override
    public Integer call() throws Exception {
        String[] targets = common.targetNames();
        PushBodies bodies = new PushBodies(common.seed);
        long intervalNanos = rate <= 0 ? 0 : (long) (1e9 * common.agents * targets.length / rate);
        SteadyWorkload workload = new SteadyWorkload(bodies, targets, intervalNanos, throughputProbability);
        Report report = new Report(label);
        try (LoadRun run = new LoadRun(common.url, common.threads, workload)) {
            ScheduledExecutorService progress = Report.progress(label, run);
            run.start(Roster.read(common.agentsFile, common.agents), bodies,
                    intervalNanos > 0 ? intervalNanos : TimeUnit.SECONDS.toNanos(1));
            Thread.sleep(warmup.toMillis());
            run.resetStats();
            double cpu0 = Report.cpuSeconds();
            ProcWatch watch = common.watch();
            ProcWatch.Sample before = watch == null ? null : watch.sample();
            RetentionWatch retention = null;
            if (retentionLog == null) {
                Thread.sleep(duration.toMillis());
            } else {
                retention = RetentionWatch.await(retentionLog, duration, run);
            }
            LoadStats measured = run.resetStats();
            ProcWatch.Sample after = watch == null ? null : watch.sample();
            double seconds = measured.elapsedSeconds();
            double cpu = Report.cpuSeconds() - cpu0;
            workload.stopAt(System.nanoTime());
            boolean drained = run.awaitFinished(70, TimeUnit.SECONDS);
            progress.shutdownNow();
            report.put("agents", common.agents);
            report.put("targets", targets.length);
            report.put("offered_results_per_second", rate);
            report.put("interval_ms", intervalNanos / 1e6);
            report.put("peak_connections", run.peakConnections());
            report.stats(measured, seconds);
            report.put("generator_cpu_cores", cpu / seconds);
            if (watch != null) {
                ProcWatch.report(report, before, after, measured.windows.sum());
            }
            report.put("unfinished_agents", drained ? 0 : run.unfinished());
            if (retention != null) {
                report.put("partitions_dropped", retention.partitions());
                report.put("drop_seconds", retention.dropSeconds());
            }
        }
        return 0;
    }
}
