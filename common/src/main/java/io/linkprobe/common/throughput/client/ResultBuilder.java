package io.linkprobe.common.throughput.client;

import io.linkprobe.common.throughput.measurement.IntervalSeries;
import io.linkprobe.common.throughput.measurement.StabilityRule;
import io.linkprobe.common.throughput.measurement.TcpStats;
import io.linkprobe.common.throughput.protocol.ControlMessage.Accept;
import io.linkprobe.common.throughput.protocol.ControlMessage.Busy;
import io.linkprobe.common.throughput.protocol.ControlMessage.Reject;
import io.linkprobe.common.throughput.protocol.ControlMessage.Result;
import io.linkprobe.common.throughput.protocol.Direction;
import io.linkprobe.common.throughput.protocol.RejectCode;
import io.linkprobe.common.throughput.protocol.StopReason;
import io.linkprobe.common.wire.ThroughputResult;
import io.linkprobe.common.wire.ThroughputResult.Outcome;
import io.netty.channel.ConnectTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/** Turns how a direction ended into a {@link ThroughputResult} with one clear message. */
final class ResultBuilder {
    private final ThroughputRequest request;
    private final Direction direction;

    ResultBuilder(ThroughputRequest request, Direction direction) {
        this.request = request;
        this.direction = direction;
    }

    ThroughputResult connectFailed(Throwable cause) {
        String where = request.host() + ":" + request.port();
        if (cause instanceof ConnectTimeoutException) {
            return failed(Outcome.UNREACHABLE, String.format("no answer from %s within %d s (unreachable or filtered)",
                    where, request.connectTimeout().toSeconds()));
        }
        if (cause instanceof UnknownHostException) {
            return failed(Outcome.UNREACHABLE, "cannot resolve " + request.host());
        }
        String text = String.valueOf(cause.getMessage());
        if (text.toLowerCase(Locale.ROOT).contains("refused")) {
            return failed(Outcome.REFUSED, "connection refused by " + where + ": no responder listening");
        }
        return failed(Outcome.UNREACHABLE, where + " unreachable: " + text);
    }

    ThroughputResult busy(Busy busy) {
        return failed(Outcome.BUSY, String.format("responder busy: retry after %.1f s (queue position %d)",
                busy.retryAfterMillis() / 1000.0, busy.queuePosition()));
    }

    ThroughputResult rejected(Reject reject) {
        boolean auth = reject.code() == RejectCode.AUTH || reject.code() == RejectCode.REPLAY;
        return failed(auth ? Outcome.AUTH_FAILED : Outcome.ERROR, "responder refused the test: " + reject.reason());
    }

    ThroughputResult error(long startEpochMillis, String message, long bytes, IntervalSeries series) {
        return build(startEpochMillis, Outcome.ERROR, message, bytes, 0, 0, false, 0, series.bytes(), null);
    }

    /**
     * @param clientReason why the client stopped; null if the responder ended the load first
     */
    ThroughputResult finished(long startEpochMillis, Accept grant, StopReason clientReason, Result server,
            IntervalSeries series, StabilityRule rule, long bytes, double seconds, TcpStats tcp) {
        StopReason why = clientReason != null ? clientReason : server.reason();
        boolean ok = why == StopReason.STABLE || why == StopReason.DURATION_LIMIT || why == StopReason.BYTES_LIMIT;
        boolean stable = why == StopReason.STABLE;
        String message = ok ? okMessage(why, grant, seconds) : "test ended early: " + why.text();
        return build(startEpochMillis, ok ? Outcome.OK : Outcome.ERROR, message, bytes, seconds,
                rule.steadyBytesPerSecond(series, stable), stable, grant.intervalMillis(), series.bytes(), tcp);
    }

    private String okMessage(StopReason why, Accept grant, double seconds) {
        String text = why == StopReason.STABLE ? String.format("stopped early: goodput stable after %.1f s", seconds)
                : why == StopReason.DURATION_LIMIT ? String.format("ran the full %.1f s", grant.grantedDurationMillis() / 1000.0)
                : String.format("reached the byte limit (%d bytes)", grant.grantedBytes());
        if (grant.grantedDurationMillis() < request.maxDuration().toMillis()) {
            text += String.format("; the responder allows at most %.1f s", grant.grantedDurationMillis() / 1000.0);
        }
        if (request.maxBytes() > 0 && grant.grantedBytes() < request.maxBytes()) {
            text += "; the responder allows at most " + grant.grantedBytes() + " bytes";
        }
        return text;
    }

    private ThroughputResult failed(Outcome outcome, String message) {
        return build(0, outcome, message, 0, 0, 0, false, request.intervalMillis(), List.of(), null);
    }

    private ThroughputResult build(long startEpochMillis, Outcome outcome, String message, long bytes,
            double seconds, double steady, boolean stable, int intervalMillis, List<Long> intervals, TcpStats tcp) {
        long now = System.currentTimeMillis();
        return new ThroughputResult(request.target(), startEpochMillis == 0 ? now : startEpochMillis, now,
                direction.wireName(), outcome.wireName(), message, request.streams(), bytes, seconds, steady,
                seconds > 0 ? bytes / seconds : 0, stable, intervalMillis, intervals,
                tcp == null ? null : tcp.toWire(), null);
    }
}
