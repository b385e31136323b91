package io.linkprobe.collector.load;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One simulated agent: its identity, one keep-alive connection, one push in flight at a time, and
 * the pusher's rules — a 429 or 503 is retried after {@code Retry-After} (plus up to as much again
 * of jitter, so that a crowd refused together does not come back together), a lost connection or
 * a 5xx is retried after a pause with the same body (the same sequence: the collector stores it
 * once), other 4xx are given up. Lives on one event loop: no locks.
 */
final class SimAgent {
    private static final long ANSWER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long RECONNECT_NANOS = TimeUnit.SECONDS.toNanos(1);

    final Roster.Entry site;
    final int archetype;
    final byte[] prefix;
    final SplittableRandom random;
    /** The workload's bookkeeping: when the next push is due, how much of a spool is sent. */
    long dueNanos;
    int progress;
    long sequence;

    private final LoadRun run;
    private final EventLoop loop;
    private final String authorization;
    private Channel channel;
    private boolean connecting;
    private PushBodies.Push current;
    private boolean inFlight;
    private long sentNanos;
    private ScheduledFuture<?> answerTimer;

    SimAgent(LoadRun run, EventLoop loop, Roster.Entry site, byte[] prefix, long firstSequence) {
        this.run = run;
        this.loop = loop;
        this.site = site;
        this.archetype = site.index() % PushBodies.ARCHETYPES;
        this.prefix = prefix;
        this.random = new SplittableRandom(site.index() * 0x9E3779B97F4A7C15L ^ firstSequence);
        this.sequence = firstSequence;
        this.authorization = "Bearer " + site.token();
    }

    /** The run's current counters (a warm-up replaces them). */
    LoadStats stats() {
        return run.stats();
    }

    void start(long delayNanos) {
        loop.schedule(this::scheduleNext, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void scheduleNext() {
        long delay = run.workload().delayNanos(this, System.nanoTime());
        if (delay > 0) {
            loop.schedule(this::buildAndSend, delay, TimeUnit.NANOSECONDS);
        } else {
            buildAndSend();
        }
    }

    private void buildAndSend() {
        current = run.workload().next(this, System.nanoTime());
        if (current == null) {
            finish();
            return;
        }
        send();
    }

    private void send() {
        if (channel == null || !channel.isActive()) {
            connect();
            return;
        }
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                "/api/v1/samples", Unpooled.wrappedBuffer(current.gzipped()));
        request.headers()
                .set(HttpHeaderNames.HOST, run.hostHeader())
                .set(HttpHeaderNames.AUTHORIZATION, authorization)
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP)
                .set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, current.gzipped().length);
        inFlight = true;
        sentNanos = System.nanoTime();
        answerTimer = loop.schedule(this::answerTimedOut, ANSWER_TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
        channel.writeAndFlush(request);
    }

    private void connect() {
        if (connecting) {
            return;
        }
        connecting = true;
        run.bootstrap(loop, this).connect(run.address()).addListener((ChannelFutureListener) this::connected);
    }

    private void connected(ChannelFuture f) {
        connecting = false;
        if (!f.isSuccess()) {
            run.stats().connectFailures.increment();
            retryAfterNanos(RECONNECT_NANOS);
            return;
        }
        channel = f.channel();
        run.connectionOpened();
        send();
    }

    void onResponse(Channel from, FullHttpResponse response) {
        if (from != channel || !inFlight) {
            return;
        }
        long latency = System.nanoTime() - sentNanos;
        endFlight();
        int status = response.status().code();
        LoadStats stats = run.stats();
        if (status == 200) {
            boolean duplicate = response.content().toString(StandardCharsets.US_ASCII).contains("\"duplicate\":true");
            stats.acked(current, latency, duplicate);
            current = null;
            scheduleNext();
        } else if (status == 429 || status == 503) {
            stats.retryable(status);
            retryAfterNanos(TimeUnit.SECONDS.toNanos(retryAfterSeconds(response)));
        } else if (status >= 500 || status == 408) {
            stats.errorStatus(status);
            retryAfterNanos(2 * RECONNECT_NANOS);
        } else {
            // 400/401/403/409/413: resending the same body cannot succeed; an agent drops it.
            stats.errorStatus(status);
            current = null;
            scheduleNext();
        }
    }

    void onClosed(Channel from) {
        if (from != channel) {
            return;
        }
        channel = null;
        run.connectionClosed();
        if (inFlight) {
            endFlight();
            run.stats().connectionsLost.increment();
            retryAfterNanos(RECONNECT_NANOS);
        }
    }

    private void answerTimedOut() {
        if (!inFlight) {
            return;
        }
        endFlight();
        run.stats().timeouts.increment();
        if (channel != null) {
            channel.close();
        }
        retryAfterNanos(RECONNECT_NANOS);
    }

    private void endFlight() {
        inFlight = false;
        if (answerTimer != null) {
            answerTimer.cancel(false);
            answerTimer = null;
        }
    }

    /** Waits {@code nanos} plus up to as much again, then resends the current push. */
    private void retryAfterNanos(long nanos) {
        long delay = nanos + (long) (random.nextDouble() * nanos);
        loop.schedule(this::send, delay, TimeUnit.NANOSECONDS);
    }

    private static long retryAfterSeconds(FullHttpResponse response) {
        String value = response.headers().get(HttpHeaderNames.RETRY_AFTER);
        try {
            return value == null ? 1 : Math.max(1, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private void finish() {
        if (channel != null) {
            channel.close();
        }
        run.agentFinished();
    }
}
