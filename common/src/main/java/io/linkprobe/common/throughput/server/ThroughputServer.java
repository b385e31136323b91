package io.linkprobe.common.throughput.server;

import io.linkprobe.common.net.CongestionControl;
import io.linkprobe.common.net.Transports;
import io.linkprobe.common.throughput.measurement.Payload;
import io.linkprobe.common.throughput.protocol.ServerStatus;
import io.linkprobe.common.throughput.protocol.TestId;
import io.linkprobe.common.throughput.protocol.ThroughputPipelines;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The responder's throughput side (default port 9863): control and data connections on one port,
 * at most {@link ServerOptions#maxConcurrentTests} tests at once, each held to the server's limits.
 * The wire format is in {@code io.linkprobe.common.throughput.protocol} (control codec, framer,
 * preamble, data header); the sequence of a test in {@link ServerSession}.
 */
public final class ThroughputServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ThroughputServer.class);

    private final ServerOptions options;
    private final Admission admission;
    private final ReplayGuard replay = new ReplayGuard(System::currentTimeMillis);
    private final Map<TestId, ServerSession> tests = new ConcurrentHashMap<>();
    private final ChannelGroup channels = new DefaultChannelGroup("throughput", GlobalEventExecutor.INSTANCE);
    private final ByteBuf payload = Payload.create();
    private final List<Consumer<ServedSession>> servedListeners = new CopyOnWriteArrayList<>();
    private Channel serverChannel;
    private volatile boolean closing;

    /** Unbound: {@link #start} binds it; tests drive its pipeline on embedded channels. */
    ThroughputServer(ServerOptions options) {
        this.options = options;
        this.admission = new Admission(options.maxConcurrentTests(), options.queueLimit(),
                options.maxDuration().toMillis(), System::currentTimeMillis);
    }

    /**
     * Binds and starts serving; returns once bound.
     *
     * @param bind use port 0 for an ephemeral port (tests), then {@link #localPort()}
     * @throws IOException if the address cannot be bound
     */
    public static ThroughputServer start(EventLoopGroup group, InetSocketAddress bind, ServerOptions options)
            throws IOException {
        ThroughputServer server = new ThroughputServer(options);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(Transports.serverSocket())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        server.channels.add(ch);
                        // Every accepted connection: it matters on the ones that send (downloads).
                        CongestionControl.applyOrWarn(ch, options.congestionControl());
                        ThroughputPipelines.serverConnection(ch.pipeline(), new ConnectionSniffer(server));
                    }
                });
        try {
            server.serverChannel = b.bind(bind).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.payload.release();
            throw new InterruptedIOException("interrupted while binding " + bind);
        } catch (Exception e) {
            server.payload.release();
            throw new IOException("cannot bind throughput port " + bind + ": " + e.getMessage(), e);
        }
        log.info("throughput responder on {} ({}, max {} concurrent, {} ms, {} bytes, {}, congestion control {})",
                server.serverChannel.localAddress(), Transports.name(), options.maxConcurrentTests(),
                options.maxDuration().toMillis(), options.maxBytes(),
                options.authenticated() ? "HMAC required" : "unauthenticated",
                options.congestionControl() == null ? "host default" : options.congestionControl());
        return server;
    }

    public int localPort() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public ServerStatus status() {
        return new ServerStatus(admission.running(), admission.queueLength(), admission.maxConcurrent());
    }

    /** Ends running tests (clients get RESULT "responder shutting down"), closes every connection. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        serverChannel.close().awaitUninterruptibly();
        for (ServerSession t : List.copyOf(tests.values())) {
            t.abort();
        }
        channels.close().awaitUninterruptibly();
        payload.release();
    }

    /** Calls {@code listener} on an event loop after each accepted test ends; it must not block. */
    public void onTestServed(Consumer<ServedSession> listener) {
        servedListeners.add(listener);
    }

    void served(ServedSession test) {
        for (Consumer<ServedSession> l : servedListeners) {
            try {
                l.accept(test);
            } catch (RuntimeException e) {
                log.warn("served-test listener failed", e);
            }
        }
    }

    ServerOptions options() {
        return options;
    }

    Admission admission() {
        return admission;
    }

    ReplayGuard replay() {
        return replay;
    }

    ByteBuf payload() {
        return payload;
    }

    boolean closing() {
        return closing;
    }

    ServerSession test(TestId id) {
        return tests.get(id);
    }

    void register(ServerSession test) {
        tests.put(test.id(), test);
    }

    void unregister(ServerSession test) {
        tests.remove(test.id(), test);
    }
}
