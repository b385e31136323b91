package io.linkprobe.agent.cli;

import io.linkprobe.agent.config.LatencySettings;
import io.linkprobe.agent.config.ThroughputSettings;
import io.linkprobe.agent.config.VideoSettings;
import io.linkprobe.agent.video.VideoTest;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkprobe.common.config.InvalidValue;
import io.linkprobe.common.net.Dscp;
import io.linkprobe.common.wire.VideoResult;
import io.linkprobe.agent.linktest.LinkTest;
import io.linkprobe.common.cli.DurationConverter;
import io.linkprobe.common.cli.ExitCodes;
import io.linkprobe.common.cli.UserException;
import io.linkprobe.common.net.CongestionControl;
import io.linkprobe.common.net.DefaultPorts;
import io.linkprobe.common.net.Transports;
import io.linkprobe.common.stamp.SenderOptions;
import io.linkprobe.common.stamp.StampSender;
import io.linkprobe.common.throughput.client.ThroughputClient;
import io.linkprobe.common.throughput.client.ThroughputRequest;
import io.linkprobe.common.throughput.protocol.Direction;
import io.linkprobe.common.throughput.protocol.ServerStatus;
import io.linkprobe.common.throughput.protocol.ThroughputKeys;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.ThroughputResult;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * One-shot test against any STAMP reflector and linkprobe throughput responder: latency first (on
 * the quiet link), then each throughput direction with latency under load. Exit 0 when every part
 * measured, 1 when a part could not (unreachable, busy, refused), 2 on bad flags.
 */
@Command(name = "test", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure latency, loss, throughput and bufferbloat to HOST once and print the result; "
                + "with --video, whether the link carries video calls and how many at once.")
public final class TestCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    io.linkprobe.common.log.LogOptions logOptions;

    @Parameters(index = "0", paramLabel = "HOST", description = "responder or STAMP reflector to test against")
    String host;

    @Option(names = "--stamp-port", defaultValue = "" + DefaultPorts.STAMP, paramLabel = "PORT", description = "STAMP reflector UDP port (default ${DEFAULT-VALUE})")
    int stampPort;

    @Option(names = "--throughput-port", defaultValue = "" + DefaultPorts.THROUGHPUT, paramLabel = "PORT", description = "throughput responder TCP port (default ${DEFAULT-VALUE})")
    int throughputPort;

    @Option(names = "--latency-only", description = "measure latency, jitter and loss only (works with any STAMP/TWAMP-Light reflector)")
    boolean latencyOnly;

    @Option(names = "--count", defaultValue = "20", paramLabel = "N", description = "STAMP packets for the latency part (default ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--interval", defaultValue = "100ms", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "mean gap between STAMP packets, e.g. 10ms (default ${DEFAULT-VALUE})")
    Duration interval;

    /** Deprecated spelling of {@code --interval}, kept so that existing scripts run. */
    @Option(names = "--interval-ms", hidden = true, paramLabel = "MS")
    Integer intervalMillis;

    @Option(names = "--periodic", description = "send STAMP packets at fixed intervals instead of Poisson-distributed gaps")
    boolean periodic;

    @Option(names = "--packet-size", defaultValue = "44", paramLabel = "BYTES", description = "STAMP packet size, 44-1472 (default ${DEFAULT-VALUE})")
    int packetSize;

    @Option(names = "--timeout", defaultValue = "3s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "a STAMP packet unanswered this long is lost (default ${DEFAULT-VALUE})")
    Duration timeout;

    /** Deprecated spelling of {@code --timeout}. */
    @Option(names = "--timeout-ms", hidden = true, paramLabel = "MS")
    Integer timeoutMillis;

    @Option(names = "--direction", defaultValue = "both", paramLabel = "down|up|both", description = "throughput direction(s) (default ${DEFAULT-VALUE})")
    String direction;

    @Option(names = "--duration", defaultValue = "10s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "longest load per direction, e.g. 10s; stops earlier once stable (default ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--streams", defaultValue = "1", paramLabel = "N", description = "parallel TCP streams (default ${DEFAULT-VALUE})")
    int streams;

    @Option(names = "--max-bytes", defaultValue = "0", paramLabel = "BYTES", description = "byte cap per direction; 0 = the responder's limit")
    long maxBytes;

    @Option(names = "--congestion-control", paramLabel = "ALGO",
            description = "TCP congestion control of the upload's sending sockets, e.g. cubic (default: the host's); "
                    + "the responder chooses its own for downloads")
    String congestionControl;

    @Option(names = "--key-file", paramLabel = "FILE", description = "shared secret (or the site's token) to sign the throughput test with")
    Path keyFile;

    @Option(names = "--key-id", defaultValue = "", paramLabel = "ID", description = "key id: the site name when testing against a collector's responder")
    String keyId;

    @Option(names = "--status", description = "only ask the throughput responder how busy it is (running tests, queue length)")
    boolean statusOnly;

    @Option(names = "--video", description = "run the video-readiness test instead: a call-shaped STAMP session "
            + "(both directions at once, constant rate), its verdict, then the ladder of concurrent calls")
    boolean video;

    @Option(names = "--calls", defaultValue = "8", paramLabel = "N",
            description = "with --video: the ladder's top, 1-" + VideoSettings.MAX_CALLS_LIMIT + "; 1 = one call only (default ${DEFAULT-VALUE})")
    int calls;

    @Option(names = "--dscp", defaultValue = "BE", paramLabel = "X",
            description = "with --video: DSCP of the test packets, a name (BE, EF, AF41, CS5 …) or 0-63 (default ${DEFAULT-VALUE})")
    String dscp;

    @Option(names = "--rate-kbps", defaultValue = "1200", paramLabel = "KBPS",
            description = "with --video: one call's rate each way (default ${DEFAULT-VALUE})")
    int rateKbps;

    @Option(names = "--call-packet-size", defaultValue = "1200", paramLabel = "BYTES",
            description = "with --video: UDP payload per packet, 64-1472 (default ${DEFAULT-VALUE})")
    int callPacketSize;

    @Option(names = "--call-seconds", defaultValue = "20", paramLabel = "SECONDS",
            description = "with --video: how long the single call runs (default ${DEFAULT-VALUE})")
    int callSeconds;

    @Option(names = "--step-seconds", defaultValue = "5", paramLabel = "SECONDS",
            description = "with --video: how long each further ladder step runs (default ${DEFAULT-VALUE})")
    int stepSeconds;

    @Option(names = "--json", description = "print one JSON object instead of the summary")
    boolean json;

    @Option(names = "--raw-rtts", description = "with --json: also list every RTT (µs, in order of sending) as latency.rtt_us")
    boolean rawRtts;

    private StampDiagnostics stampDiagnostics;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!json) {
            return measure();
        }
        // With --json a failure is a JSON document too: {"host": ..., "error": {"kind", "message"}}.
        try {
            return measure();
        } catch (UserException e) {
            printJsonError("failure", e.getMessage());
            return ExitCodes.FAILURE;
        } catch (CommandLine.ParameterException e) {
            printJsonError("usage", e.getMessage());
            return ExitCodes.USAGE;
        }
    }

    private void printJsonError(String kind, String message) throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("kind", kind);
        error.put("message", message);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("host", host);
        out.put("error", error);
        System.out.println(Json.mapper().writeValueAsString(out));
        System.err.println("error: " + message);
    }

    private Integer measure() throws Exception {
        applyDeprecatedAliases();
        validate();
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new UserException("cannot resolve host '" + host + "'; check the name or give an IP address.");
        }
        List<Direction> directions = latencyOnly ? List.of() : Direction.parse(direction);
        String secret = readSecret();
        EventLoopGroup group = Transports.group(1, "linkprobe-test");
        try {
            if (statusOnly) {
                return printStatus(group, address);
            }
            if (video) {
                return runVideo(group, new InetSocketAddress(address, stampPort));
            }
            LatencyWindow latency = measureLatency(group, new InetSocketAddress(address, stampPort));
            List<ThroughputResult> results = directions.isEmpty() ? List.of()
                    : measureThroughput(group, address, directions, secret);
            TestReport report = new TestReport(host, latency, results, stampDiagnostics, rawRtts);
            List<String> problems = problems(latency, results);
            if (json) {
                com.fasterxml.jackson.databind.node.ObjectNode out = report.json();
                if (!problems.isEmpty()) {
                    out.putObject("error").put("kind", "failure").put("message", String.join(" ", problems));
                }
                System.out.println(Json.mapper().writeValueAsString(out));
            } else {
                System.out.print(report.human());
            }
            problems.forEach(p -> System.err.println("error: " + p));
            return problems.isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private int printStatus(EventLoopGroup group, InetAddress address) throws java.io.IOException {
        ServerStatus status;
        try {
            status = new ThroughputClient(group).status(address.getHostAddress(), throughputPort, Duration.ofSeconds(5))
                    .toCompletableFuture().join();
        } catch (CompletionException e) {
            throw new UserException("cannot ask " + host + ":" + throughputPort + " for its status: " + rootMessage(e)
                    + "; check that a linkprobe responder listens there.");
        }
        if (json) {
            System.out.println(Json.mapper().writeValueAsString(status));
        } else {
            System.out.println("responder " + host + ":" + throughputPort + ": " + status.runningTests() + " of "
                    + status.maxConcurrentTests() + " test(s) running, " + status.queueLength() + " waiting");
        }
        return ExitCodes.OK;
    }

    /** {@code --interval-ms} and {@code --timeout-ms} still work, with a warning naming the new spelling. */
    private void applyDeprecatedAliases() {
        if (intervalMillis != null) {
            interval = Duration.ofMillis(intervalMillis);
            System.err.println("warning: --interval-ms is deprecated; write --interval " + intervalMillis + "ms");
        }
        if (timeoutMillis != null) {
            timeout = Duration.ofMillis(timeoutMillis);
            System.err.println("warning: --timeout-ms is deprecated; write --timeout " + timeoutMillis + "ms");
        }
    }

    private int runVideo(EventLoopGroup group, InetSocketAddress target) throws IOException {
        VideoSettings settings = videoSettings();
        Progress progress = new Progress(!json);
        VideoTest.Request request = VideoTest.Request.of(host, target, settings, 0, 0, stampOptions());
        VideoResult r = new VideoTest(group).run(request, (n, d) -> progress.show(n == 1
                ? "video: one call to " + target.getAddress().getHostAddress() + ":" + target.getPort() + " for "
                        + d.toSeconds() + " s …"
                : "video: " + n + " concurrent calls for " + d.toSeconds() + " s …")).toCompletableFuture().join();
        progress.clear();
        if (json) {
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            root.put("target", host);
            root.set("video", VideoReport.json(r));
            System.out.println(Json.mapper().writeValueAsString(root));
        } else {
            System.out.print(VideoReport.human(host, r));
        }
        if (!VideoResult.Outcome.OK.wireName().equals(r.result())) {
            System.err.println("error: " + r.message() + ".");
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }

    /** The video settings the flags describe, checked by the same rules as agent.yml's video section. */
    private VideoSettings videoSettings() {
        try {
            return new VideoSettings(true, null, rateKbps, callPacketSize, Duration.ofSeconds(callSeconds),
                    Duration.ofSeconds(Math.min(stepSeconds, callSeconds)), calls, dscp, null, null, null, null, null,
                    Duration.ofHours(1), null, null);
        } catch (InvalidValue e) {
            // "video.rate_kbps 500 is ..." names the flag: "--rate-kbps 500 is ...".
            java.util.regex.Matcher key = java.util.regex.Pattern.compile("^video\\.([a-z_]+)").matcher(e.getMessage());
            String message = key.find() ? "--" + key.group(1).replace('_', '-') + e.getMessage().substring(key.end())
                    : e.getMessage();
            throw new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }

    private void validate() {
        String problem = null;
        String ccProblem = congestionControl == null ? null : CongestionControl.problem(congestionControl);
        if (stampPort < 1 || stampPort > 65535) problem = "--stamp-port must be 1-65535";
        else if (throughputPort < 1 || throughputPort > 65535) problem = "--throughput-port must be 1-65535";
        else if (count < 1 || count > 1_000_000) problem = "--count must be 1-1000000";
        else if (interval.toMillis() < 1 || interval.compareTo(Duration.ofMinutes(1)) > 0) problem = "--interval must be between 1ms and 1m";
        else if (packetSize < 44 || packetSize > 1472) problem = "--packet-size must be 44-1472";
        else if (timeout.toMillis() < 10 || timeout.compareTo(Duration.ofMinutes(1)) > 0) problem = "--timeout must be between 10ms and 1m";
        else if (duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.compareTo(Duration.ofMinutes(10)) > 0) problem = "--duration must be between 1s and 10m";
        else if (streams < 1 || streams > 64) problem = "--streams must be 1-64";
        else if (maxBytes < 0) problem = "--max-bytes cannot be negative";
        else if (ccProblem != null) problem = "--congestion-control " + ccProblem;
        else if (video && (calls < 1 || calls > VideoSettings.MAX_CALLS_LIMIT)) problem = "--calls must be 1-" + VideoSettings.MAX_CALLS_LIMIT;
        else if (video && (callSeconds < 5 || callSeconds > 120)) problem = "--call-seconds must be 5-120";
        else if (video && (callPacketSize < 64 || callPacketSize > 1472)) problem = "--call-packet-size must be 64-1472";
        else if (video && (rateKbps < 8 || rateKbps > 100_000)) problem = "--rate-kbps must be 8-100000";
        else if (video && (stepSeconds < 2 || stepSeconds > 120)) problem = "--step-seconds must be 2-120";
        else if (video && dscpProblem() != null) problem = "--dscp " + dscpProblem();
        else if (!latencyOnly) {
            try {
                Direction.parse(direction);
            } catch (IllegalArgumentException e) {
                problem = "--direction must be down, up or both";
            }
        }
        if (problem != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), problem);
        }
    }

    private String dscpProblem() {
        try {
            Dscp.parse(dscp);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private String readSecret() {
        if (keyFile == null) {
            return null;
        }
        try {
            return ThroughputKeys.readSecret(keyFile);
        } catch (IOException | IllegalArgumentException e) {
            throw new UserException("cannot use key file " + keyFile + " (" + e.getMessage() + "); pass a readable file holding the secret.");
        }
    }

    private LatencyWindow measureLatency(EventLoopGroup group, InetSocketAddress target) throws InterruptedException {
        SenderOptions opts = stampOptions();
        Progress progress = new Progress(!json);
        progress.show("latency: " + count + " STAMP packets to " + target.getAddress().getHostAddress() + ":" + target.getPort() + " …");
        try (StampSender sender = StampSender.open(group, target, opts)) {
            LatencyWindow w = sender.runCount(count, host).toCompletableFuture().join();
            stampDiagnostics = StampDiagnostics.of(sender);
            progress.clear();
            return w;
        } catch (CompletionException | java.io.UncheckedIOException | IllegalStateException e) {
            progress.clear();
            throw new UserException("cannot send STAMP packets to " + target + ": " + rootMessage(e) + ".");
        }
    }

    private List<ThroughputResult> measureThroughput(EventLoopGroup group, InetAddress address, List<Direction> directions,
                                                     String secret) {
        ThroughputRequest request = ThroughputRequest.to(address.getHostAddress(), throughputPort)
                .withTarget(host)
                .withDirections(directions)
                .withStreams(streams)
                .withLimits(duration, maxBytes)
                .withCongestionControl(congestionControl);
        if (secret != null) {
            request = request.withKey(keyId, secret);
        }
        // The probes under load are the latency part's, at the agent's default loaded rate.
        SenderOptions loaded = stampOptions().withMeanInterval(ThroughputSettings.DEFAULTS.loadedProbeInterval());
        LinkTest.Request req = LinkTest.Request.of(request, new InetSocketAddress(address, stampPort), loaded);
        return new LinkTest(group).run(req, new Progress(!json)).toCompletableFuture().join();
    }

    private SenderOptions stampOptions() {
        return LatencySettings.senderOptions(interval,
                periodic ? LatencySettings.Schedule.PERIODIC : LatencySettings.Schedule.POISSON, packetSize, timeout);
    }

    /** One sentence per part that did not measure; empty when everything did. Warnings go to stderr. */
    private List<String> problems(LatencyWindow latency, List<ThroughputResult> results) {
        List<String> out = new ArrayList<>();
        long unusable = stampDiagnostics == null ? 0 : stampDiagnostics.unusableReplies();
        if (latency.received() == 0 && unusable > 0) {
            out.add(host + ":" + stampPort + " answered, but none of its " + unusable
                    + " replies was a STAMP reply (" + stampDiagnostics.repliesTooShort() + " shorter than 38 bytes, "
                    + stampDiagnostics.repliesMalformed() + " too long or with a bad HMAC); check that it is a "
                    + "STAMP/TWAMP-Light reflector in the same mode (authenticated or not) as this test.");
        } else if (latency.received() == 0) {
            out.add("no STAMP replies from " + host + ":" + stampPort
                    + "; check that a reflector runs there and that UDP " + stampPort + " is open on the path.");
        } else if (unusable > 0) {
            System.err.println("warning: " + unusable + " replies from " + host + ":" + stampPort + " were not STAMP ("
                    + stampDiagnostics.repliesTooShort() + " too short, " + stampDiagnostics.repliesMalformed()
                    + " malformed); their requests count as lost, although the reflector answered them.");
        }
        for (ThroughputResult r : results) {
            if (!r.result().equals(ThroughputResult.Outcome.OK.wireName())) {
                out.add((r.direction().equals("down") ? "download" : "upload") + " test " + r.result() + ": " + r.message());
            }
        }
        return out;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
