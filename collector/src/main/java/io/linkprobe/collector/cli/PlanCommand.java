package io.linkprobe.collector.cli;

import io.linkprobe.common.auth.TokenStore;
import io.linkprobe.collector.config.CollectorConfig;
import io.linkprobe.collector.fleet.FleetFile;
import io.linkprobe.collector.plan.PlanBook;
import io.linkprobe.collector.plan.Pool;
import io.linkprobe.collector.plan.PoolMember;
import io.linkprobe.collector.plan.Schedule;
import io.linkprobe.collector.plan.Scheduler;
import io.linkprobe.collector.plan.SiteFacts;
import io.linkprobe.collector.plan.Simulation;
import io.linkprobe.collector.plan.Slot;
import io.linkprobe.collector.plan.TestKind;
import io.linkprobe.common.cli.ExitCodes;
import io.linkprobe.common.config.ConfigException;
import io.linkprobe.common.config.Durations;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code plan simulate}: the capacity planner. */
@Command(name = "plan", mixinStandardHelpOptions = true, description = "Plan the fleet's tests on the responder pool.",
        subcommands = PlanCommand.Simulate.class)
public final class PlanCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a plan command: simulate");
    }

    /**
     * Schedules the fleet exactly as a running collector would, then runs the schedule on a virtual
     * clock and prints what each responder and each site gets. Exit 1 when any site gets fewer
     * tests than its schedule asks (the pool is too small: the periods were stretched).
     */
    @Command(name = "simulate", mixinStandardHelpOptions = true,
            description = {"Run the scheduler on the fleet file and a virtual clock: per responder tests per day, "
                    + "peak concurrency, peak Mbit/s and utilisation; per site the tests it gets.",
                    "Exit 0 when every site gets the tests it asks for, 1 when some get fewer, 2 on a config error."})
    static final class Simulate implements Callable<Integer> {
        @Option(names = "--fleet", required = true, paramLabel = "FILE", description = "the fleet file")
        Path fleet;

        @Option(names = "--config", paramLabel = "FILE",
                description = "collector.yml, for the embedded responder's settings (default: collector.yml's defaults)")
        Path config;

        @Option(names = "--tokens-file", paramLabel = "FILE", description = "plan every site of this tokens file too")
        Path tokensFile;

        @Option(names = "--sites", paramLabel = "N", defaultValue = "0",
                description = "plan N more sites, site-00001 ... (the fleet file's defaults and no labels)")
        int extraSites;

        @Option(names = "--days", paramLabel = "N", defaultValue = "7", description = "days on the virtual clock (default ${DEFAULT-VALUE})")
        int days;

        @Option(names = "--worst", paramLabel = "N", defaultValue = "10", description = "sites listed, worst first (default ${DEFAULT-VALUE})")
        int worst;

        @Override
        public Integer call() {
            if (days < 1 || days > 366 || extraSites < 0 || extraSites > 1_000_000 || worst < 0) {
                System.err.println("--days must be 1-366, --sites 0-1000000 and --worst at least 0.");
                return ExitCodes.USAGE;
            }
            FleetFile file;
            List<PoolMember> pool;
            Set<String> sites = new TreeSet<>();
            try {
                file = FleetFile.load(fleet);
                CollectorConfig.Responder r = config == null ? CollectorConfig.Responder.DEFAULT
                        : CollectorConfig.load(config).responder();
                pool = Pool.of(file, new Pool.Embedded(r.enabled(), r.stampPort(), r.throughputPort(),
                        r.maxConcurrentTests(), r.advertiseHost()), fleet.toString());
                if (tokensFile != null) {
                    sites.addAll(TokenStore.load(tokensFile).sites());
                }
            } catch (ConfigException e) {
                System.err.println(e.getMessage());
                return ExitCodes.USAGE;
            }
            sites.addAll(file.sites().keySet());
            for (int i = 1; i <= extraSites; i++) {
                sites.add(String.format(Locale.ROOT, "site-%05d", i));
            }
            if (sites.isEmpty()) {
                System.err.println(fleet + " lists no sites; add them under 'sites:', or pass --tokens-file or --sites N.");
                return ExitCodes.USAGE;
            }
            long started = System.nanoTime();
            PlanBook book = PlanBook.build(file, pool, sites, SiteFacts.NONE, PlanBook.EMPTY);
            long scheduledMillis = (System.nanoTime() - started) / 1_000_000;
            long start = System.currentTimeMillis() / 86_400_000L * 86_400_000L;
            Simulation.Result result = Simulation.run(book.pool(), book.tests(), book.schedule(), start, days);
            print(System.out, book, result, scheduledMillis);
            return result.shortSites() == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
        }

        private void print(PrintStream out, PlanBook book, Simulation.Result r, long scheduledMillis) {
            Schedule s = book.schedule();
            Scheduler.Demand d = Scheduler.demand(book.pool(), book.tests());
            long video = book.tests().stream().filter(t -> t.kind() == TestKind.VIDEO).count();
            out.printf(Locale.ROOT, "linkprobe plan simulate: %d sites (%d with throughput tests%s), %d responder%s, %d days "
                    + "(scheduled in %d ms)%n", book.siteCount(), book.tests().size() - video,
                    video == 0 ? "" : ", " + video + " with video tests", book.pool().size(),
                    book.pool().size() == 1 ? "" : "s", days, scheduledMillis);
            out.printf(Locale.ROOT, "test demand: %.3f of the pool (lanes %.3f, bandwidth %.3f); %s%n", s.demandRatio(),
                    d.lanes(), d.bandwidth(), s.stretch() > 1.0
                            ? String.format(Locale.ROOT, "every period stretched x%.3f to place every site", s.stretch())
                            : "no stretch: every site is scheduled as asked");
            if (!s.unplaced().isEmpty()) {
                out.printf(Locale.ROOT, "%d tests found no slot even stretched: their sites do not run them%n",
                        s.unplaced().size());
            }
            out.println();
            out.printf(Locale.ROOT, "%-20s %5s %10s %10s %10s %11s %9s %9s%n", "responder", "lanes", "max Mbit/s",
                    "tests/day", "peak tests", "peak Mbit/s", "lane use", "bw use");
            for (Simulation.ResponderLoad l : r.responders()) {
                out.printf(Locale.ROOT, "%-20s %5d %10.0f %10.1f %10d %11.1f %8.1f%% %8.1f%%%n", l.name(),
                        l.maxConcurrentTests(), l.maxMbps(), l.testsPerDay(), l.peakConcurrent(), l.peakMbps(),
                        100 * l.laneUtilisation(), 100 * l.bandwidthUtilisation());
            }
            out.println();
            out.printf(Locale.ROOT, "sites: asked %d tests in %d days, got %d; %d sites got fewer than asked%n",
                    r.asked(), days, r.received(), r.shortSites());
            if (worst > 0 && !r.sites().isEmpty()) {
                out.println("worst sites first:");
                for (Simulation.SiteTests t : r.sites().subList(0, Math.min(worst, r.sites().size()))) {
                    String where = s.slot(t.key().site(), t.key().kind()).map(Simulate::describe).orElse("no slot");
                    out.printf(Locale.ROOT, "  %-24s %-10s asked %5d  got %5d  %s%n", t.key().site(),
                            t.key().kind().name().toLowerCase(Locale.ROOT), t.asked(), t.received(), where);
                }
            }
        }

        private static String describe(Slot slot) {
            long s = slot.offsetMillis() / 1000;
            return String.format(Locale.ROOT, "every %s at +%d:%02d:%02d on %s (%.0f s slot)",
                    period(slot.everyMillis()), s / 3600, s / 60 % 60, s % 60, slot.responder(), slot.slotMillis() / 1000.0);
        }

        /** 4h, 8h, or 23h22m20s for a stretched period. */
        static String period(long millis) {
            String whole = Durations.format(Duration.ofMillis(millis));
            if (!whole.endsWith("ms") && (!whole.endsWith("s") || millis < 60_000)) {
                return whole;
            }
            long s = millis / 1000;
            return (s >= 3600 ? s / 3600 + "h" : "") + (s % 3600 >= 60 ? s / 60 % 60 + "m" : "") + (s % 60 > 0 ? s % 60 + "s" : "");
        }
    }
}
