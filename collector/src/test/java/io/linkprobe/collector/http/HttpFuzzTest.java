package io.linkprobe.collector.http;

import ch.qos.logback.classic.Level;
import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.linkprobe.collector.TestCollector;
import io.linkprobe.common.testing.fuzz.Fuzzing;
import io.linkprobe.common.testing.fuzz.LeakReports;
import io.linkprobe.common.testing.fuzz.LogFindings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * Any bytes on a connection to the collector's HTTP port, through the whole of it: a real collector
 * in this JVM (its pipeline as {@link HttpChannelInitializer} builds it, its router with every
 * endpoint, its SQLite archive), one TCP connection per input on loopback. Every refusal is an HTTP
 * answer; what must never happen is an endpoint failing (a 500, logged as an error by the router or
 * the request handler), an exception reaching the end of the pipeline, a leaked buffer, or the
 * connection hanging past the read timeout.
 *
 * <p>Why a socket and not an EmbeddedChannel: the collector's endpoints complete on its archive
 * writer and its query threads, and an EmbeddedChannel's event loop says it is every thread's own,
 * so replies would be written into it from those threads while the test thread drives it.
 *
 * <p>Input: the bytes the client sends, then it half-closes. Site {@code t} has token {@code token-t}.
 */
class HttpFuzzTest {
    private static final TestCollector COLLECTOR = start();

    static {
        LeakReports.install();
        LogFindings.failOn("io.linkprobe", Level.ERROR);
    }

    @FuzzTest(maxDuration = Fuzzing.DURATION)
    void connection(byte[] bytes) throws IOException, InterruptedException {
        int status500 = 0;
        // The test's own connection to the collector under test, and no other: Jazzer's SSRF
        // detector reports every connect it was not told of (seen in CI: "localhost:41317").
        int port = COLLECTOR.collector.httpPort();
        try (SilentCloseable onlyTheCollector = BugDetectors.allowNetworkConnections(
                     (host, p) -> p == port && ("127.0.0.1".equals(host) || "localhost".equals(host)));
             Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(30_000); // past this the connection hangs: longer than the collector's own read timeout
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            try {
                out.write(bytes);
                out.flush();
                s.shutdownOutput();
            } catch (SocketException e) {
                // The collector may close first (a refused request that left the stream unusable).
            }
            StringBuilder answer = new StringBuilder();
            byte[] buf = new byte[16 * 1024];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    answer.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (SocketException e) {
                // reset by the collector: also an ending
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the collector neither answered nor closed within 30 s");
            }
            // Response by response: a body may hold those bytes (an endpoint's binary answer).
            status500 = (int) HttpAnswers.statuses(answer.toString()).stream().filter(c -> c == 500).count();
        }
        quiesce();
        LeakReports.assertNone();
        if (status500 > 0) {
            throw new AssertionError(status500 + " answer(s) 500 Internal Server Error");
        }
    }

    /** Waits for pushes the input sent to be committed, so that their outcome belongs to this input. */
    private static void quiesce() throws InterruptedException {
        for (int i = 0; i < 500 && COLLECTOR.collector.archive().queuedBatches() > 0; i++) {
            Thread.sleep(2);
        }
    }

    private static TestCollector start() {
        try {
            return TestCollector.start(Files.createTempDirectory("http-fuzz"), Map.of("t", "token-t"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("the collector did not start", e);
        }
    }

    @AfterAll
    static void noLeakReportedByNetty() throws InterruptedException {
        try {
            LeakReports.collectAndAssertNone();
        } finally {
            COLLECTOR.close();
        }
    }
}
