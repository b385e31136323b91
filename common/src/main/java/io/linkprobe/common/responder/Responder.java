package io.linkprobe.common.responder;

import io.linkprobe.common.net.BindFailure;
import io.linkprobe.common.net.Transports;
import io.linkprobe.common.stamp.ReflectorOptions;
import io.linkprobe.common.stamp.StampReflector;
import io.linkprobe.common.throughput.server.ThroughputServer;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The far end agents measure towards: a stateful STAMP reflector and a throughput server, each
 * optional, started from one {@link ResponderOptions}. The agent's {@code responder} command and
 * the collector's embedded responder are both this class; they differ only in where the options
 * come from and in what they do with the running parts (print ports, register meters).
 */
public final class Responder implements AutoCloseable {
    /** The two parts, with the protocol each listens on. */
    public enum Part {
        STAMP("udp"), THROUGHPUT("tcp");

        private final String protocol;

        Part(String protocol) {
            this.protocol = protocol;
        }

        public String protocol() {
            return protocol;
        }
    }

    private final StampReflector reflector;
    private final ThroughputServer throughput;
    private final EventLoopGroup spinning;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Responder(StampReflector reflector, ThroughputServer throughput, EventLoopGroup spinning) {
        this.reflector = reflector;
        this.throughput = throughput;
        this.spinning = spinning;
    }

    /**
     * Binds every part the options turn on; returns once all are listening. On failure the parts
     * already started are stopped again.
     *
     * @param group event loops to share (the throughput server, and the reflector unless busy-polling)
     * @throws BindException naming the part that could not listen
     */
    public static Responder start(ResponderOptions options, EventLoopGroup group) throws BindException {
        EventLoopGroup spinning = options.busyPoll() && options.stampPort() != ResponderOptions.OFF
                ? Transports.busyPollGroup(1, "linkprobe-stamp") : null;
        StampReflector reflector = null;
        try {
            if (options.stampPort() != ResponderOptions.OFF) {
                InetSocketAddress at = new InetSocketAddress(options.bindAddress(), options.stampPort());
                try {
                    reflector = StampReflector.start(spinning != null ? spinning : group, at, ReflectorOptions.defaults());
                } catch (RuntimeException e) {
                    throw new BindException(Part.STAMP, at, e);
                }
            }
            ThroughputServer throughput = null;
            if (options.throughputPort() != ResponderOptions.OFF) {
                InetSocketAddress at = new InetSocketAddress(options.bindAddress(), options.throughputPort());
                try {
                    throughput = ThroughputServer.start(group, at, options.serverOptions());
                } catch (Exception e) {
                    throw new BindException(Part.THROUGHPUT, at, e);
                }
            }
            return new Responder(reflector, throughput, spinning);
        } catch (BindException | RuntimeException e) {
            new Responder(reflector, null, spinning).close();
            throw e;
        }
    }

    /** The reflector, unless its port is off. */
    public Optional<StampReflector> reflector() {
        return Optional.ofNullable(reflector);
    }

    /** The throughput server, unless its port is off. */
    public Optional<ThroughputServer> throughput() {
        return Optional.ofNullable(throughput);
    }

    /** Stops both parts (running tests end with "responder shutting down"); again is a no-op. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (reflector != null) {
            reflector.close();
        }
        if (throughput != null) {
            throughput.close();
        }
        if (spinning != null) {
            spinning.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** A part could not listen; {@link #explain} turns it into one sentence with the fix. */
    public static final class BindException extends Exception {
        private final Part part;
        private final InetSocketAddress address;

        BindException(Part part, InetSocketAddress address, Throwable cause) {
            super("cannot listen on " + part.protocol() + " " + address + ": " + cause.getMessage(), cause);
            this.part = part;
            this.address = address;
        }

        public Part part() {
            return part;
        }

        /** @param portSetting how the user changes this part's port, e.g. "--stamp-port" */
        public String explain(String portSetting) {
            return BindFailure.explain(part.protocol(), address, getCause(), portSetting);
        }
    }
}
