package io.linkprobe.agent.cli;

import io.linkprobe.common.cli.UserException;
import io.linkprobe.common.stamp.ReflectorOptions;
import io.linkprobe.common.stamp.StampReflector;
import io.linkprobe.common.throughput.ServerOptions;
import io.linkprobe.common.throughput.ThroughputServer;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;

/** Binds the responder's sockets, turning the usual failures into one sentence with the fix. */
final class Bind {
    private Bind() {}

    static StampReflector stamp(EventLoopGroup group, InetSocketAddress at, ReflectorOptions opts) {
        try {
            return StampReflector.start(group, at, opts);
        } catch (RuntimeException e) {
            throw new UserException(explain("udp", at, e), e);
        }
    }

    static ThroughputServer throughput(EventLoopGroup group, InetSocketAddress at, ServerOptions opts) {
        try {
            return ThroughputServer.start(group, at, opts);
        } catch (Exception e) {
            throw new UserException(explain("tcp", at, e), e);
        }
    }

    static String explain(String proto, InetSocketAddress at, Throwable e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        String where = proto + " port " + at.getPort() + " on " + at.getHostString();
        if (m.contains("permission denied") || m.contains("eacces")) {
            return "cannot listen on " + where + ": permission denied; run with CAP_NET_BIND_SERVICE (see deploy/systemd) or choose a port above 1023.";
        }
        if (m.contains("address already in use") || m.contains("eaddrinuse")) {
            return "cannot listen on " + where + ": another program already uses it; stop it or choose another port.";
        }
        if (m.contains("cannot assign") || m.contains("eaddrnotavail")) {
            return "cannot listen on " + where + ": that address is not on this machine; choose one of its addresses or 0.0.0.0.";
        }
        return "cannot listen on " + where + ": " + e.getMessage() + ".";
    }
}
