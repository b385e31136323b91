package io.linkprobe.agent.plan;

import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.agent.push.Backoff;
import io.linkprobe.common.config.Durations;
import io.linkprobe.common.wire.Plan;
import io.linkprobe.common.wire.PlanReader;
import io.linkprobe.common.wire.UnusablePlanException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the agent on the collector's plan. At start, the plan kept in {@code state_dir} (the agent
 * measures while the collector is down at boot), else {@code agent.yml} alone; then
 * {@code GET /api/v1/plan} at once and every {@code collector.plan_refresh} (±25 %), with
 * {@code If-None-Match}. What each answer does:
 *
 * <ul>
 *   <li>200, a plan this agent can use → kept on disk, then applied (what did not change keeps
 *       running). One it cannot use ({@link PlanReader}, {@link PlanMerge}) → logged once with the
 *       reason; the plan in force stays.
 *   <li>304 → nothing to do.
 *   <li>404 → the collector serves this site no plan: the agent runs {@code agent.yml} alone, and
 *       forgets the kept plan (so a restart does not bring it back).
 *   <li>401/403 → logged once; the plan in force stays (the token is wrong: an operator acts).
 *   <li>No answer, 5xx, 429 → logged once; the plan in force stays; asked again after a backoff
 *       (from {@code backoff_min}, doubling, at most {@code plan_refresh}) or {@code Retry-After}.
 * </ul>
 *
 * <p>Each problem is logged when it starts (a different problem is a new line), and its end once.
 */
public final class PlanKeeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PlanKeeper.class);
    private static final double JITTER = 0.25;

    private final AgentConfig local;
    private final PlanClient client;
    private final PlanCache cache;
    private final Consumer<Workload> apply;
    private final Duration refresh;
    private final Backoff failures;
    private final Thread thread;
    private volatile boolean running = true;
    /** The workload last handed to {@link #apply}; only the plan thread writes it after {@link #initial}. */
    private volatile Workload current;
    /** The problem last logged (its kind), so that each is logged once. */
    private String problem;

    /**
     * @param token the site's bearer token, read at every request
     * @param tls the TLS context for an https collector ({@code collector.ca_file}), or null
     * @param apply called on the plan thread with each new workload
     */
    public PlanKeeper(AgentConfig local, Supplier<String> token, SSLContext tls, Consumer<Workload> apply) {
        AgentConfig.CollectorEndpoint collector = local.collector();
        this.local = local;
        this.client = new PlanClient(collector.urls(), token, tls, collector.timeout());
        this.cache = new PlanCache(local.stateDir());
        this.apply = apply;
        this.refresh = collector.planRefresh();
        this.failures = new Backoff(collector.backoffMin(),
                collector.backoffMax().compareTo(refresh) < 0 ? collector.backoffMax() : refresh);
        this.thread = new Thread(this::loop, "linkprobe-plan");
        this.thread.setDaemon(true);
    }

    /** What to measure at start: the kept plan merged with agent.yml if it is usable, else agent.yml alone. */
    public Workload initial() {
        Workload w = Workload.local(local);
        try {
            Optional<byte[]> kept = cache.read();
            if (kept.isPresent()) {
                w = PlanMerge.merge(local, PlanReader.read(kept.get()));
                log.info("Starting with plan {} kept in {} from an earlier run, until the collector answers",
                        w.planVersion(), cache.file());
            } else {
                log.info("No plan kept yet in {}: agent.yml alone until the collector answers", cache.file());
            }
        } catch (IOException e) {
            log.warn("Cannot read the plan kept in {} ({}); agent.yml alone until the collector answers", cache.file(),
                    e.getMessage());
        } catch (UnusablePlanException e) {
            log.warn("The plan kept in {} is not usable ({}); agent.yml alone until the collector answers", cache.file(),
                    e.getMessage());
        }
        current = w;
        return w;
    }

    /** Asks the collector at once, then every plan_refresh, on a thread of its own. */
    public void start() {
        thread.start();
    }

    /** What the agent was last told to run. */
    Workload current() {
        return current;
    }

    private void loop() {
        while (running) {
            Duration wait;
            try {
                wait = refreshOnce();
            } catch (RuntimeException e) {
                log.error("Unexpected error while fetching the plan; will retry", e);
                wait = refresh;
            }
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One request and what follows from its answer; returns how long to wait before the next. */
    Duration refreshOnce() {
        Workload now = current;
        PlanClient.Answer answer;
        try {
            answer = client.fetch(now.planVersion());
        } catch (IOException e) {
            problem("unreachable", "Cannot fetch the plan from " + client.where() + " (" + describe(e) + "); running "
                    + now.describe() + " meanwhile");
            return failureWait();
        } catch (IllegalArgumentException e) {
            // HttpURLConnection refuses a header value it cannot send (a token with a line break).
            problem("request", "Cannot ask for the plan (" + e.getMessage() + "); running " + now.describe());
            return jittered(refresh);
        }
        switch (answer.status()) {
            case 200 -> received(answer.body(), now);
            case 304 -> solved();
            case 404 -> noPlan(answer.reason(), now);
            case 401, 403 -> problem("refused " + answer.status(), "The collector refused this agent's token for its plan ("
                    + answer.status() + ": " + answer.reason() + "); running " + now.describe()
                    + "; check collector.token_file");
            case 429, 503 -> {
                problem("busy", "The collector cannot give the plan now (" + answer.status() + ": " + answer.reason()
                        + "); running " + now.describe() + " meanwhile");
                return retryAfter(answer.retryAfter());
            }
            default -> {
                problem("status " + answer.status(), "The collector answered " + answer.status() + " for the plan ("
                        + answer.reason() + "); running " + now.describe() + " meanwhile");
                return failureWait();
            }
        }
        failures.reset();
        return jittered(refresh);
    }

    private void received(byte[] body, Workload now) {
        Workload next;
        Plan plan;
        try {
            plan = PlanReader.read(body);
            next = PlanMerge.merge(local, plan);
        } catch (UnusablePlanException e) {
            problem("unusable " + e.getMessage(), "The collector sent an " + e.getMessage() + "; running "
                    + now.describe() + " as before");
            return;
        }
        solved();
        if (next.equals(now)) {
            return;
        }
        try {
            cache.write(body);
        } catch (IOException e) {
            log.warn("Cannot keep plan {} in {} ({}); running it, but a restart while the collector is down "
                    + "would start from {}", plan.version(), cache.file(), e.getMessage(), now.describe());
        }
        log.info("Plan {} from the collector: {}", plan.version(), summary(plan));
        current = next;
        apply.accept(next);
    }

    private void noPlan(String reason, Workload now) {
        problem("404", "The collector serves this site no plan (" + reason + "); running agent.yml alone");
        if (!now.runsPlan()) {
            return;
        }
        try {
            cache.delete();
        } catch (IOException e) {
            log.warn("Cannot remove the kept plan {} ({}); it would be used again after a restart while the collector "
                    + "is down", cache.file(), e.getMessage());
        }
        Workload alone = Workload.local(local);
        current = alone;
        apply.accept(alone);
    }

    private static String summary(Plan plan) {
        Plan.Throughput t = plan.throughput();
        String tests = t.enabled()
                ? "throughput tests every " + Durations.format(Duration.ofMillis(t.everyMillis())) + " at +"
                        + Durations.format(Duration.ofMillis(t.offsetMillis())) + " on responder '" + t.responder().name()
                        + "' (" + t.responder().host() + ":" + t.responder().throughputPort() + ")"
                        + (t.stretch() > 1.0 ? String.format(java.util.Locale.ROOT, ", stretched x%.2f: the pool is over capacity", t.stretch()) : "")
                : "no throughput tests";
        return plan.targets().size() + " target(s), " + tests;
    }

    /** Logs {@code message} at warn unless the same kind of problem was the last one logged. */
    private void problem(String kind, String message) {
        if (kind.equals(problem)) {
            log.debug("{}", message);
            return;
        }
        problem = kind;
        log.warn("{}", message);
    }

    private void solved() {
        if (problem != null) {
            log.info("The collector answers the plan request again (after: {})", problem);
            problem = null;
        }
    }

    private Duration failureWait() {
        Duration d = failures.next();
        return d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d;
    }

    private Duration retryAfter(String header) {
        long seconds;
        try {
            seconds = header == null ? -1 : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 0) {
            return failureWait();
        }
        Duration asked = failures.after(Duration.ofSeconds(Math.max(1, seconds)));
        return asked.compareTo(refresh) > 0 ? refresh : asked;
    }

    private static Duration jittered(Duration d) {
        double factor = ThreadLocalRandom.current().nextDouble(1 - JITTER, 1 + JITTER);
        return Duration.ofMillis((long) (d.toMillis() * factor));
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
