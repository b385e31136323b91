package io.linkprobe.common.throughput.server;

import io.linkprobe.common.throughput.protocol.ControlMessage;
import io.linkprobe.common.throughput.protocol.ControlMessage.Accept;
import io.linkprobe.common.throughput.protocol.ControlMessage.Busy;
import io.linkprobe.common.throughput.protocol.ControlMessage.Hello;
import io.linkprobe.common.throughput.protocol.ControlMessage.Reject;
import io.linkprobe.common.throughput.protocol.ControlMessage.Status;
import io.linkprobe.common.throughput.protocol.ControlMessage.StatusQuery;
import io.linkprobe.common.throughput.protocol.ControlMessage.Stop;
import io.linkprobe.common.throughput.protocol.DataHeader;
import io.linkprobe.common.throughput.protocol.HelloAuth;
import io.linkprobe.common.throughput.protocol.RejectCode;
import io.linkprobe.common.throughput.protocol.ServerStatus;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server end of one control connection: answers STATUS queries, judges the HELLO (version,
 * key, replay, limits, a free slot) and hands an accepted test to {@link ServerSession}. A rejected or
 * busy client gets its answer and the connection is closed; it never gets any data.
 */
final class ServerControlHandler extends SimpleChannelInboundHandler<ControlMessage> {
    private static final Logger log = LoggerFactory.getLogger(ServerControlHandler.class);
    private static final int DEFAULT_INTERVAL_MILLIS = 100;
    private static final int MIN_INTERVAL_MILLIS = 10;
    private static final int MAX_INTERVAL_MILLIS = 1_000;

    private final ThroughputServer server;
    private ServerSession test;

    ServerControlHandler(ThroughputServer server) {
        this.server = server;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ControlMessage msg) {
        if (msg instanceof StatusQuery && test == null) {
            ServerStatus s = server.status();
            ctx.writeAndFlush(new Status(s.runningTests(), s.queueLength(), s.maxConcurrentTests()));
        } else if (msg instanceof Hello hello && test == null) {
            hello(ctx, hello);
        } else if (msg instanceof Stop stop && test != null) {
            // Also after RESULT (the client's STOP may cross it): ignored by a finished test.
            test.clientStop(stop.reason());
        } else {
            refuse(ctx, RejectCode.BAD_REQUEST, "unexpected " + msg.getClass().getSimpleName());
        }
    }

    private void hello(ChannelHandlerContext ctx, Hello hello) {
        ServerOptions options = server.options();
        if (hello.version() != ControlMessage.VERSION) {
            refuse(ctx, RejectCode.BAD_REQUEST, "protocol version " + hello.version()
                    + " not supported; this responder speaks " + ControlMessage.VERSION);
            return;
        }
        if (server.closing()) {
            refuse(ctx, RejectCode.UNAVAILABLE, "responder shutting down");
            return;
        }
        Optional<String> authProblem = authenticate(hello);
        if (authProblem.isPresent()) {
            refuse(ctx, RejectCode.AUTH, authProblem.get());
            return;
        }
        Optional<String> replayProblem = server.replay().check(hello.testId(), hello.clientTimeMillis(),
                options.authenticated());
        if (replayProblem.isPresent()) {
            refuse(ctx, RejectCode.REPLAY, replayProblem.get());
            return;
        }
        if (hello.streams() < 1 || hello.streams() > options.maxStreams()) {
            refuse(ctx, RejectCode.BAD_REQUEST, "streams must be 1.." + options.maxStreams());
            return;
        }
        Accept grant = grant(hello, options);
        String address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
        String who = hello.keyId().isEmpty() ? address : hello.keyId() + "@" + address;
        Admission.Decision decision = server.admission().request(who,
                grant.grantedDurationMillis() + DataHeader.ATTACH_TIMEOUT_MILLIS);
        if (!decision.admitted()) {
            log.debug("busy for {}: retry after {} ms, position {}", who, decision.retryAfterMillis(),
                    decision.queuePosition());
            ctx.writeAndFlush(new Busy(decision.retryAfterMillis(), decision.queuePosition()))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        test = new ServerSession(server, ctx.channel(), hello, grant, decision.slot());
        log.info("test {} {} from {}: {} streams, {} ms, {} bytes", hello.testId(),
                hello.direction().wireName(), who, hello.streams(), grant.grantedDurationMillis(),
                grant.grantedBytes());
        test.begin(); // registered before the client can read ACCEPT and attach its data connections
        ctx.writeAndFlush(grant);
    }

    /** Empty when the hello may proceed; otherwise the reason, in words the operator can act on. */
    private Optional<String> authenticate(Hello hello) {
        KeyLookup keys = server.options().keys();
        if (keys == null) {
            return Optional.empty();
        }
        if (hello.hmac().length == 0) {
            return Optional.of("this responder requires a key: configure the agent's token or --key-file");
        }
        List<byte[]> candidates = keys.keysFor(hello.keyId());
        if (candidates.isEmpty()) {
            return Optional.of("unknown key id '" + hello.keyId() + "'");
        }
        for (byte[] key : candidates) {
            if (HelloAuth.verify(hello, key)) {
                return Optional.empty();
            }
        }
        return Optional.of("bad HMAC: the key for '" + hello.keyId() + "' does not match the responder's");
    }

    /** The server's limits win over whatever the client asked; 0 asks for the server's limit. */
    private static Accept grant(Hello hello, ServerOptions options) {
        long maxMillis = options.maxDuration().toMillis();
        long duration = hello.maxDurationMillis() == 0 ? maxMillis : Math.min(hello.maxDurationMillis(), maxMillis);
        long bytes = hello.maxBytes() <= 0 ? options.maxBytes() : Math.min(hello.maxBytes(), options.maxBytes());
        int interval = hello.intervalMillis() == 0 ? DEFAULT_INTERVAL_MILLIS
                : Math.max(MIN_INTERVAL_MILLIS, Math.min(MAX_INTERVAL_MILLIS, hello.intervalMillis()));
        return new Accept(duration, bytes, interval);
    }

    private void refuse(ChannelHandlerContext ctx, RejectCode code, String reason) {
        log.info("rejecting {}: {}", ctx.channel().remoteAddress(), reason);
        ctx.writeAndFlush(new Reject(code, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        // While a test runs the client may stay silent; the test's own deadline bounds it.
        if (evt instanceof IdleStateEvent && test == null) {
            log.debug("closing idle control connection {}", ctx.channel().remoteAddress());
            ctx.close();
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (test != null) {
            test.controlLost();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("control connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
