package io.linkprobe.common.throughput.measurement;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.linkprobe.common.wire.ThroughputResult.LoadedLatency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BufferbloatGradeTest {
    @ParameterizedTest
    @CsvSource({"-5, A", "0, A", "29.999, A", "30, B", "59.9, B", "60, C", "199, C", "200, D", "399, D",
        "400, E", "999, E", "1000, F", "5000, F"})
    void gradeBoundsAreTheDocumentedMilliseconds(double bloatMillis, String grade) {
        assertEquals(grade, BufferbloatGrade.of(bloatMillis * 1000).name());
    }

    @Test
    void rpmIsRoundTripsPerMinuteAtTheLoadedRtt() {
        assertEquals(600, BufferbloatGrade.rpm(100_000), 1e-9, "100 ms");
        assertEquals(0, BufferbloatGrade.rpm(0));
    }

    @Test
    void loadedLatencyCombinesThem() {
        LoadedLatency l = BufferbloatGrade.loadedLatency(20_000, 95_000, 140_000, 200, 198);
        assertEquals(75_000, l.bufferbloatMicros());
        assertEquals("C", l.grade());
        assertEquals(60e6 / 95_000, l.rpm(), 1e-9);
        assertEquals(198, l.probesReceived());
    }
}
