package io.linkprobe.collector.load;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code storm}: N agents back from an outage push their spools, all at once or each after its own
 * random backoff remainder ({@code --spread}); how long until the collector has drained them, and
 * how long each agent took to deliver its spool after the collector came back.
 */
@Command(name = "storm", description = "Replay storm: N agents push their spooled windows at once.")
final class StormCommand implements Callable<Integer> {
    @Mixin
    LoadMain.Common common;

    @Option(names = "--windows", defaultValue = "60", description = "spooled windows per agent (default ${DEFAULT-VALUE})")
    int windows;

    @Option(names = "--batch", defaultValue = "20", description = "windows per push (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--deadline", defaultValue = "PT10M", description = "give up after this ISO duration")
    Duration deadline;

    @Option(names = "--spread", defaultValue = "PT0S", description = "each agent's first push after a random time "
            + "up to this ISO duration, as agents whose full-jitter backoff (capped at it) was running when the "
            + "collector came back; PT0S = all at once (default ${DEFAULT-VALUE})")
    Duration spread;

    @Option(names = "--label", defaultValue = "storm", description = "the phase name in the result lines")
    String label;

    @Override
    public Integer call() throws Exception {
        String[] targets = common.targetNames();
        PushBodies bodies = new PushBodies(common.seed);
        StormWorkload workload = new StormWorkload(bodies, targets, windows, batch, System.currentTimeMillis());
        Report report = new Report(label);
        try (LoadRun run = new LoadRun(common.url, common.threads, workload)) {
            ScheduledExecutorService progress = Report.progress(label, run);
            List<Roster.Entry> sites = Roster.read(common.agentsFile, common.agents);
            ProcWatch watch = common.watch();
            ProcWatch.Sample before = watch == null ? null : watch.sample();
            double cpu0 = Report.cpuSeconds();
            LoadStats stats = run.stats();
            run.start(sites, bodies, spread.toNanos(), new SplittableRandom(common.seed));
            boolean drained = run.awaitFinished(deadline.toMillis(), TimeUnit.MILLISECONDS);
            ProcWatch.Sample after = watch == null ? null : watch.sample();
            double seconds = drained ? (run.lastFinishNanos() - stats.startNanos) / 1e9 : stats.elapsedSeconds();
            double cpu = Report.cpuSeconds() - cpu0;
            progress.shutdownNow();
            report.put("agents", common.agents);
            report.put("windows_per_agent", windows);
            report.put("batch", batch);
            report.put("peak_connections", run.peakConnections());
            report.put("drained", drained ? 1 : 0);
            report.put("unfinished_agents", run.unfinished());
            report.put("drain_seconds", seconds);
            report.put("spread_seconds", spread.toMillis() / 1000.0);
            // Per agent: from the collector's return (the start) until it had delivered its spool.
            report.put("caught_up_p50_seconds", run.finishedSeconds(0.50));
            report.put("caught_up_p99_seconds", run.finishedSeconds(0.99));
            report.put("caught_up_max_seconds", run.finishedSeconds(1.0));
            report.stats(stats, seconds);
            report.put("generator_cpu_cores", cpu / seconds);
            if (watch != null) {
                ProcWatch.report(report, before, after, stats.windows.sum());
            }
        }
        return 0;
    }
}
