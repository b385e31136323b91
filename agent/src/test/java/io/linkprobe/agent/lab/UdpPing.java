package io.linkprobe.agent.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/** {@code lab/udpping.c}: a bare UDP ping-pong for the lab's own microsecond-scale latency. */
final class UdpPing {

    static final int PORT = 7777;

    private UdpPing() {
    }

    static Process startServer(LabNetwork lab) {
        Process server = lab.startInHub(List.of(LabScript.binary("udpping").toString(), "server",
                lab.hubAddress(), Integer.toString(PORT)));
        lab.awaitHubListening(server, "udp", PORT, Duration.ofSeconds(10));
        return server;
    }

    /** RTT p50 in microseconds of {@code count} probes, one in flight, {@code interval} apart. */
    static double p50Micros(LabNetwork lab, int count, Duration interval) {
        ProcessResult result = lab.runInSite(interval.multipliedBy(count).plusSeconds(30),
                List.of(LabScript.binary("udpping").toString(), "client", lab.hubAddress(), Integer.toString(PORT),
                        Integer.toString(count), Long.toString(interval.toNanos() / 1000))).requireSuccess();
        try {
            return new ObjectMapper().readTree(result.stdout()).path("p50_us").asDouble();
        } catch (IOException e) {
            throw new UncheckedIOException("udpping output: " + result.stdout(), e);
        }
    }
}
