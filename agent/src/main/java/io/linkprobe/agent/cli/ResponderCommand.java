package io.linkprobe.agent.cli;

import io.linkprobe.common.auth.TokensFileKeys;
import io.linkprobe.common.cli.DurationConverter;
import io.linkprobe.common.cli.ExitCodes;
import io.linkprobe.common.cli.UserException;
import io.linkprobe.common.config.ConfigException;
import io.linkprobe.common.net.CongestionControl;
import io.linkprobe.common.net.DefaultPorts;
import io.linkprobe.common.net.Transports;
import io.linkprobe.common.responder.Responder;
import io.linkprobe.common.responder.ResponderOptions;
import io.linkprobe.common.throughput.protocol.ThroughputKeys;
import io.linkprobe.common.throughput.server.KeyLookup;
import io.linkprobe.common.throughput.server.ServerOptions;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A standalone responder: STAMP reflector and throughput server, for a hub without a collector,
 * or a lab. Prints the bound ports on one line each, so scripts using port 0 can read them. The
 * defaults are {@link ResponderOptions#defaults()}'s, the ones the collector's embedded responder has.
 */
@Command(name = "responder", mixinStandardHelpOptions = true,
        description = "Run a STAMP reflector and a throughput responder (the far end agents measure towards).")
public final class ResponderCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    io.linkprobe.common.log.LogOptions logOptions;

    @Option(names = "--bind", defaultValue = ResponderOptions.DEFAULT_BIND_ADDRESS, paramLabel = "ADDR",
            description = "address to listen on (default ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--stamp-port", defaultValue = "" + DefaultPorts.STAMP, paramLabel = "PORT",
            description = "UDP port of the STAMP reflector; 0 = any free port; -1 = off (default ${DEFAULT-VALUE})")
    int stampPort;

    @Option(names = "--throughput-port", defaultValue = "" + DefaultPorts.THROUGHPUT, paramLabel = "PORT",
            description = "TCP port of the throughput responder; 0 = any free port; -1 = off (default ${DEFAULT-VALUE})")
    int throughputPort;

    @Option(names = "--key-file", paramLabel = "FILE",
            description = "shared secret that throughput clients must sign with; without it (and without "
                    + "--tokens-file) tests are unauthenticated")
    Path keyFile;

    @Option(names = "--tokens-file", paramLabel = "FILE",
            description = "a copy of the collector's tokens file: every site signs its tests with its own token, "
                    + "as at the collector's embedded responder (for a responder in the collector's pool); re-read "
                    + "within " + TOKENS_CHECK_SECONDS + " s of a change")
    Path tokensFile;

    @Option(names = "--max-concurrent-tests", defaultValue = "" + ServerOptions.DEFAULT_MAX_CONCURRENT_TESTS,
            paramLabel = "N",
            description = "throughput tests at once; others are told busy with a retry time (default ${DEFAULT-VALUE})")
    int maxConcurrent;

    @Option(names = "--max-duration", defaultValue = ServerOptions.DEFAULT_MAX_DURATION_SECONDS + "s",
            paramLabel = "DURATION", converter = DurationConverter.class,
            description = "longest test the responder allows, whatever clients ask (default ${DEFAULT-VALUE})")
    Duration maxDuration;

    @Option(names = "--max-bytes", defaultValue = "" + ServerOptions.DEFAULT_MAX_BYTES, paramLabel = "BYTES",
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

    @Spec
    CommandSpec spec;

    /** How often a {@code --tokens-file} is checked for changes, as the collector checks its own. */
    static final int TOKENS_CHECK_SECONDS = 5;

    private TokensFileKeys tokens;

    @Override
    public Integer call() throws InterruptedException, ConfigException {
        ResponderOptions options = options();
        EventLoopGroup group = Transports.group(0, "linkprobe-responder");
        if (tokens != null) {
            TokensFileKeys watched = tokens;
            group.next().scheduleWithFixedDelay(watched::reloadIfChanged, TOKENS_CHECK_SECONDS, TOKENS_CHECK_SECONDS,
                    TimeUnit.SECONDS);
        }
        try (Responder responder = start(options, group)) {
            responder.reflector().ifPresent(r ->
                    System.out.println("STAMP reflector listening on udp " + bind + ":" + r.localPort()));
            responder.throughput().ifPresent(s ->
                    System.out.println("throughput responder listening on tcp " + bind + ":" + s.localPort()
                            + (options.keys() == null ? " (unauthenticated)" : tokens != null
                                    ? " (each site's token-derived key, " + tokens.tokens().sites().size() + " sites)"
                                    : " (HMAC key required)")));
            System.out.flush();
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "linkprobe-shutdown"));
            stop.await();
            return ExitCodes.OK;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /**
     * The flags as options; a bad flag or tokens file is a usage error (exit 2), an unusable key
     * file a failure.
     */
    private ResponderOptions options() throws ConfigException {
        if (stampPort < -1 || stampPort > 65535 || throughputPort < -1 || throughputPort > 65535) {
            throw new ParameterException(spec.commandLine(), "ports must be -1 (off), 0 (any) or 1-65535");
        }
        String ccProblem = congestionControl == null ? null : CongestionControl.problem(congestionControl);
        if (ccProblem != null) {
            throw new ParameterException(spec.commandLine(), "--congestion-control " + ccProblem);
        }
        if (stampPort == ResponderOptions.OFF && throughputPort == ResponderOptions.OFF) {
            throw new UserException("both --stamp-port and --throughput-port are off: nothing to serve.");
        }
        if (keyFile != null && tokensFile != null) {
            throw new ParameterException(spec.commandLine(), "--key-file and --tokens-file exclude each other: a pool "
                    + "responder takes the collector's tokens file, a lone hub a shared key");
        }
        KeyLookup keys = null;
        if (tokensFile != null) {
            tokens = TokensFileKeys.open(tokensFile);
            keys = tokens;
        }
        if (keyFile != null) {
            try {
                keys = KeyLookup.sharedKey(ThroughputKeys.derive(ThroughputKeys.readSecret(keyFile)));
            } catch (IOException | IllegalArgumentException e) {
                throw new UserException("cannot use key file " + keyFile + " (" + e.getMessage()
                        + "); pass a readable file holding the shared secret.");
            }
        }
        try {
            return ResponderOptions.defaults()
                    .withBindAddress(bind)
                    .withPorts(stampPort, throughputPort)
                    .withMaxConcurrentTests(maxConcurrent)
                    .withLimits(maxDuration, maxBytes)
                    .withKeys(keys)
                    .withCongestionControl(congestionControl)
                    .withBusyPoll(busyPoll);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Binds; a failure becomes one sentence with the fix. */
    private static Responder start(ResponderOptions options, EventLoopGroup group) {
        try {
            return Responder.start(options, group);
        } catch (Responder.BindException e) {
            String flag = e.part() == Responder.Part.STAMP ? "--stamp-port" : "--throughput-port";
            throw new UserException(e.explain(flag), e);
        }
    }
}
