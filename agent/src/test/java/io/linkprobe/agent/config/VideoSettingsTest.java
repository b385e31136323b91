package io.linkprobe.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.config.ConfigException;
import io.linkprobe.common.config.ConfigLoader;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VideoSettingsTest {
    private static final String BASE = "site: s1\ncollector: {url: 'http://c:9862'}\n";

    private static AgentConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse("agent.yml", BASE + yaml, AgentConfig.class);
    }

    @Test
    void theDefaultsAreTheIssuesCall() throws ConfigException {
        VideoSettings v = parse("").video();
        assertTrue(v.enabled());
        assertEquals(Duration.ofHours(4), v.every());
        assertEquals(1200, v.rateKbps());
        assertEquals(1200, v.packetSize());
        assertEquals(8_000_000, v.intervalNanos(), "1,200 bytes at 1,200 kbit/s: one packet every 8 ms");
        assertEquals(Duration.ofSeconds(20), v.duration());
        assertEquals(Duration.ofSeconds(5), v.stepDuration());
        assertEquals(8, v.maxCalls());
        assertEquals(0, v.dscpValue());
        assertEquals(1.0, v.thresholdValues().maxLossPercent());
        assertEquals(30, v.thresholdValues().maxJitterMillis());
        assertEquals(150, v.thresholdValues().maxOneWayMillis());
        assertEquals(100, v.thresholdValues().targetRttMillis());
        assertEquals(1100, v.thresholdValues().minDownKbps());
        assertEquals(700, v.thresholdValues().minUpKbps());
        assertEquals(25.1, v.audioAssumptions().bpl());
        assertEquals(Duration.ofMillis(60), v.audioAssumptions().jitterBuffer());
    }

    @Test
    void everyKeyIsRead() throws ConfigException {
        VideoSettings v = parse("""
                video:
                  enabled: false
                  every: 6h
                  rate_kbps: 2000
                  packet_size: 1000
                  duration: 30s
                  step_duration: 10s
                  max_calls: 5
                  dscp: AF41
                  max_bytes_per_test: 50000000
                  max_bytes_per_day: 300000000
                  slip_fraction: 0.2
                  first_delay_min: 1m
                  first_delay_max: 2h
                  timeout: 10m
                  thresholds: {max_loss_percent: 0.5, max_jitter_ms: 20, max_one_way_ms: 100, target_rtt_ms: 80,
                               min_down_kbps: 1500, min_up_kbps: 1000, min_mos: 3.8, target_mos: 4.1}
                  audio: {ie: 11, bpl: 19, frame: 30ms, jitter_buffer: 40ms}
                """).video();
        assertEquals(false, v.enabled());
        assertEquals(34, v.dscpValue());
        assertEquals(List.of(1, 2, 3, 4, 5), VideoSettings.ladder(v.maxCalls()));
        assertEquals(4_000_000, v.intervalNanos());
        assertEquals(0.5, v.thresholdValues().maxLossPercent());
        assertEquals(4.1, v.thresholdValues().targetMos());
        assertEquals(11, v.audioAssumptions().ie());
        assertEquals(Duration.ofMillis(40), v.audioAssumptions().jitterBuffer());
        assertEquals(50_000_000L, v.maxBytesPerTest());
    }

    @Test
    void theLadderClimbsTheIssuesStepsToItsTop() {
        assertEquals(List.of(1, 2, 3, 4, 6, 8), VideoSettings.ladder(8));
        assertEquals(List.of(1), VideoSettings.ladder(1));
        assertEquals(List.of(1, 2, 3, 4, 6, 8, 12), VideoSettings.ladder(12));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "dscp: XX|agent.yml:4:3: video.dscp 'XX' is not a DSCP: give a number 0-63 or a name such as BE, EF, AF41, CS5",
        "dscp: 64|agent.yml:4:3: video.dscp '64' is not a DSCP: give a number 0-63 or a name such as BE, EF, AF41, CS5",
        "max_calls: 0|agent.yml:4:3: video.max_calls must be between 1 and 32",
        "rate_kbps: 800|agent.yml:4:3: video.rate_kbps 800 is below the rate a call must deliver (video.thresholds.min_down_kbps 1100.0, min_up_kbps 700.0): no call could ever be ready; raise rate_kbps or lower the thresholds",
        "rate_kbps: 20000|agent.yml:4:3: video.rate_kbps 20000 in 1200-byte packets needs a packet every 480 µs; at most one per ms is sent: raise video.packet_size or lower video.rate_kbps",
        "step_duration: 30s|agent.yml:4:3: video.step_duration must be between 2s and video.duration (20s)",
        "timeout: 30s|agent.yml:4:3: video.timeout must be between the longest ladder (73s) and 1h",
        "every: 30s|agent.yml:4:3: video.every must be at least 1m (the test loads the line)",
    })
    void aBadValueIsRefusedWithItsLineAndTheFix(String line, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("video:\n  " + line + "\n"));
        assertEquals(message, e.getMessage());
    }

    @Test
    void aThresholdOutOfRangeNamesItsKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse("video:\n  thresholds:\n    max_loss_percent: 120\n"));
        assertEquals("agent.yml:5:5: video.thresholds.max_loss_percent must be between 0.0 and 100.0, was 120.0",
                e.getMessage());
    }
}
