package io.linkprobe.common.throughput.measurement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpStatsTest {
    @Test
    void streamsCombineToLowestRttAndSummedCounters() {
        TcpStats a = new TcpStats(300, 2, 10, null);
        TcpStats b = new TcpStats(250, 5, 20, null);
        assertEquals(new TcpStats(250, 7, 30, null), TcpStats.combine(Arrays.asList(a, null, b)));
        assertNull(TcpStats.combine(List.of()));
    }

    @Test
    void theEndSampleKeepsTheStartsLowerRttButItsOwnCounters() {
        TcpStats start = new TcpStats(40, 0, 10, null);
        TcpStats end = new TcpStats(900, 3, 64, null);
        assertEquals(new TcpStats(40, 3, 64, null), TcpStats.later(start, end));
    }

    @Test
    void anUnmeasuredRttOfZeroIsIgnored() {
        assertEquals(new TcpStats(900, 3, 64, null), TcpStats.later(new TcpStats(0, 0, 10, null), new TcpStats(900, 3, 64, null)));
    }
}
