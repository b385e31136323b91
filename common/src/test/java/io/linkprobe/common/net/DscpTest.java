package io.linkprobe.common.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DscpTest {

    @ParameterizedTest
    @CsvSource({"BE,0", "be,0", "DF,0", "EF,46", "ef,46", "AF41,34", "af42,36", "CS5,40", "CS1,8", "LE,1",
            "VOICE-ADMIT,44", "0,0", "46,46", "63,63", " 34 ,34"})
    void namesAndNumbersGiveTheirCodePoint(String text, int dscp) {
        assertEquals(dscp, Dscp.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "64", "-1", "AF44", "EF+", "expedited"})
    void anythingElseIsRefusedNamingWhatIsAccepted(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dscp.parse(text));
        assertTrue(e.getMessage().contains("0-63") && e.getMessage().contains("EF"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"0,BE", "46,EF", "34,AF41", "40,CS5", "5,5"})
    void codePointsReadBackByTheirConventionalName(int dscp, String name) {
        assertEquals(name, Dscp.name(dscp));
    }

    @ParameterizedTest
    @CsvSource({"46,184", "34,136", "0,0"})
    void theTrafficClassIsTheCodePointAboveTheEcnBits(int dscp, int tos) {
        assertEquals(tos, Dscp.trafficClass(dscp));
    }
}
