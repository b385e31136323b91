package io.linkprobe.agent.linktest;

import io.linkprobe.common.stamp.SenderOptions;
import io.linkprobe.common.stamp.StampSender;
import io.linkprobe.common.throughput.client.ThroughputClient;
import io.linkprobe.common.throughput.client.ThroughputListener;
import io.linkprobe.common.throughput.client.ThroughputRequest;
import io.linkprobe.common.throughput.protocol.Direction;
import io.linkprobe.common.wire.Plan;
import io.linkprobe.common.wire.ThroughputResult;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The measurement engine's throughput test with latency under load, shared by the one-shot CLI
 * and the agent's scheduler: a {@link ThroughputClient} test, each direction preceded by an idle RTT
 * sample and accompanied by fast STAMP probing, its results carrying {@link ThroughputResult#loaded()}.
 */
public final class LinkTest {
    private static final Logger log = LoggerFactory.getLogger(LinkTest.class);

    /**
     * @param stampTarget the STAMP reflector beside the throughput responder; null to measure no latency
     * @param idlePeriod how long to sample the idle RTT before each direction
     * @param stampOptions the probes at the loaded rate: interval, schedule, packet size and loss
     *     timeout; the timeout also bounds how long the last direction's late replies are waited for
     */
    public record Request(ThroughputRequest throughput, InetSocketAddress stampTarget, Duration idlePeriod,
                          SenderOptions stampOptions) {
        /** The reflector keeps these probes apart from the agent's continuous session (SSID 1) by this SSID. */
        static final int LOADED_SSID = 2;
        /** Idle RTT sampling before each direction, as long as the collector's slots allow for it. */
        static final Duration IDLE_PERIOD = Duration.ofMillis(Plan.Throughput.IDLE_RTT_MILLIS);

        /**
         * A test whose latency probes are {@code loadedProbes} (built from the latency settings with
         * the loaded rate as mean interval), 1.5 s of idle sampling before each direction.
         */
        public static Request of(ThroughputRequest throughput, InetSocketAddress stampTarget, SenderOptions loadedProbes) {
            return new Request(throughput, stampTarget, IDLE_PERIOD, loadedProbes.withSsid(LOADED_SSID));
        }

        /**
         * How long after the last direction late replies are still collected: a second (a queue
         * that holds more than a second of traffic is graded F either way), or the probes' loss
         * timeout if shorter.
         */
        Duration settle() {
            Duration second = Duration.ofSeconds(1);
            return stampOptions.timeout().compareTo(second) < 0 ? stampOptions.timeout() : second;
        }
    }

    private final EventLoopGroup group;
    private final ThroughputClient client;

    public LinkTest(EventLoopGroup group) {
        this.group = group;
        this.client = new ThroughputClient(group);
    }

    public CompletionStage<List<ThroughputResult>> run(Request request, ThroughputListener progress) {
        if (request.stampTarget() == null) {
            return client.run(request.throughput(), progress);
        }
        StampSender sender;
        try {
            sender = StampSender.open(group, request.stampTarget(), request.stampOptions());
        } catch (RuntimeException e) {
            log.warn("No latency under load: cannot open a STAMP sender to {} ({})", request.stampTarget(), e.getMessage());
            return client.run(request.throughput(), progress);
        }
        LoadedLatencyProbe probe = new LoadedLatencyProbe(sender, group.next(), request.idlePeriod(),
                request.stampOptions().packetSize(), progress);
        sender.start();
        CompletableFuture<List<ThroughputResult>> done = new CompletableFuture<>();
        client.run(request.throughput(), probe).whenComplete((results, error) -> {
            if (error != null) {
                probe.close();
                sender.close();
                done.completeExceptionally(error);
                return;
            }
            // Replies to probes sent at the end of the load are still on their way back through
            // the queue the load filled; they are the loaded RTT too, so wait for them.
            group.next().schedule(() -> {
                probe.close();
                sender.close();
                List<ThroughputResult> withLatency = new ArrayList<>(results.size());
                for (ThroughputResult r : results) {
                    withLatency.add(withLoaded(r, probe.result(Direction.parse(r.direction()).get(0))));
                }
                done.complete(withLatency);
            }, request.settle().toNanos(), TimeUnit.NANOSECONDS);
        });
        return done;
    }

    private static ThroughputResult withLoaded(ThroughputResult r, ThroughputResult.LoadedLatency loaded) {
        if (loaded == null || !r.result().equals(ThroughputResult.Outcome.OK.wireName())) {
            return r;
        }
        return r.withLoaded(loaded);
    }
}
