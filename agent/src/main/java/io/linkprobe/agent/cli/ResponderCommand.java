package io.linkprobe.agent.cli;

import io.linkprobe.common.cli.ExitCodes;
import io.linkprobe.common.cli.UserException;
import io.linkprobe.common.net.CongestionControl;
import io.linkprobe.common.net.Transports;
import io.linkprobe.common.stamp.ReflectorOptions;
import io.linkprobe.common.stamp.StampReflector;
import io.linkprobe.common.throughput.protocol.ThroughputKeys;
import io.linkprobe.common.throughput.server.KeyLookup;
import io.linkprobe.common.throughput.server.ServerOptions;
import io.linkprobe.common.throughput.server.ThroughputServer;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A standalone responder: STAMP reflector and throughput server, for a hub without a collector,
 * or a lab. Prints the bound ports on one line each, so scripts using port 0 can read them.
 */
@Command(name = "responder", mixinStandardHelpOptions = true,
        description = "Run a STAMP reflector and a throughput responder (the far end agents measure towards).")
public final class ResponderCommand implements Callable<Integer> {
    @Option(names = "--bind", defaultValue = "0.0.0.0", paramLabel = "ADDR", description = "address to listen on (default ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--stamp-port", defaultValue = "862", paramLabel = "PORT",
            description = "UDP port of the STAMP reflector; 0 = any free port; -1 = off (default ${DEFAULT-VALUE})")
    int stampPort;

    @Option(names = "--throughput-port", defaultValue = "9863", paramLabel = "PORT",
            description = "TCP port of the throughput responder; 0 = any free port; -1 = off (default ${DEFAULT-VALUE})")
    int throughputPort;

    @Option(names = "--key-file", paramLabel = "FILE",
            description = "shared secret that throughput clients must sign with; without it tests are unauthenticated")
    Path keyFile;

    @Option(names = "--max-concurrent-tests", defaultValue = "1", paramLabel = "N",
            description = "throughput tests at once; others are told busy with a retry time (default ${DEFAULT-VALUE})")
    int maxConcurrent;

    @Option(names = "--max-duration", defaultValue = "30", paramLabel = "SECONDS",
            description = "longest test the responder allows, whatever clients ask (default ${DEFAULT-VALUE})")
    int maxDurationSeconds;

    @Option(names = "--max-bytes", defaultValue = "34359738368", paramLabel = "BYTES",
            description = "most bytes one test may move (default ${DEFAULT-VALUE})")
    long maxBytes;

    @Option(names = "--congestion-control", paramLabel = "ALGO",
            description = "TCP congestion control of the responder's sockets, which send the downloads, e.g. cubic "
                    + "(default: the host's)")
    String congestionControl;

    @Option(names = "--busy-poll",
            description = "the STAMP reflector polls without ever sleeping: takes its wake-up time (~0.1 ms) out of "
                    + "every RTT, at the cost of one CPU core; for dedicated test hubs and labs")
    boolean busyPoll;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (stampPort < -1 || stampPort > 65535 || throughputPort < -1 || throughputPort > 65535) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "ports must be -1 (off), 0 (any) or 1-65535");
        }
        String ccProblem = congestionControl == null ? null : CongestionControl.problem(congestionControl);
        if (ccProblem != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--congestion-control " + ccProblem);
        }
        if (stampPort == -1 && throughputPort == -1) {
            throw new UserException("both --stamp-port and --throughput-port are off: nothing to serve.");
        }
        KeyLookup keys = null;
        if (keyFile != null) {
            try {
                keys = KeyLookup.sharedKey(ThroughputKeys.derive(ThroughputKeys.readSecret(keyFile)));
            } catch (IOException | IllegalArgumentException e) {
                throw new UserException("cannot use key file " + keyFile + " (" + e.getMessage() + "); pass a readable file holding the shared secret.");
            }
        }
        EventLoopGroup group = Transports.group(0, "linkprobe-responder");
        EventLoopGroup stampGroup = busyPoll ? Transports.busyPollGroup(1, "linkprobe-stamp") : group;
        StampReflector reflector = null;
        ThroughputServer server = null;
        try {
            if (stampPort >= 0) {
                reflector = Bind.stamp(stampGroup, new InetSocketAddress(bind, stampPort), ReflectorOptions.defaults());
                System.out.println("STAMP reflector listening on udp " + bind + ":" + reflector.localPort());
            }
            if (throughputPort >= 0) {
                ServerOptions opts = ServerOptions.defaults()
                        .withMaxConcurrentTests(maxConcurrent)
                        .withLimits(Duration.ofSeconds(maxDurationSeconds), maxBytes)
                        .withKeys(keys)
                        .withCongestionControl(congestionControl);
                server = Bind.throughput(group, new InetSocketAddress(bind, throughputPort), opts);
                System.out.println("throughput responder listening on tcp " + bind + ":" + server.localPort()
                        + (keys == null ? " (unauthenticated)" : " (HMAC key required)"));
            }
            System.out.flush();
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "linkprobe-shutdown"));
            stop.await();
            return ExitCodes.OK;
        } finally {
            if (reflector != null) {
                reflector.close();
            }
            if (server != null) {
                server.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            stampGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
