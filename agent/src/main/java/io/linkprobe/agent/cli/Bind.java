package io.linkprobe.agent.cli;

import io.linkprobe.common.cli.UserException;
import io.linkprobe.common.net.BindFailure;
import io.linkprobe.common.stamp.ReflectorOptions;
import io.linkprobe.common.stamp.StampReflector;
import io.linkprobe.common.throughput.server.ServerOptions;
import io.linkprobe.common.throughput.server.ThroughputServer;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;

/** Binds the standalone responder's sockets; a failure becomes one sentence with the fix. */
final class Bind {
    private Bind() {}

    static StampReflector stamp(EventLoopGroup group, InetSocketAddress at, ReflectorOptions opts) {
        try {
            return StampReflector.start(group, at, opts);
        } catch (RuntimeException e) {
            throw new UserException(BindFailure.explain("udp", at, e, "--stamp-port"), e);
        }
    }

    static ThroughputServer throughput(EventLoopGroup group, InetSocketAddress at, ServerOptions opts) {
        try {
            return ThroughputServer.start(group, at, opts);
        } catch (Exception e) {
            throw new UserException(BindFailure.explain("tcp", at, e, "--throughput-port"), e);
        }
    }
}
