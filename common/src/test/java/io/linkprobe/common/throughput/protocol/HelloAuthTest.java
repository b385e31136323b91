package io.linkprobe.common.throughput.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.throughput.protocol.ControlMessage.Hello;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HelloAuthTest {
    private static final byte[] KEY = ThroughputKeys.derive("agent-token-123");
    private static final Hello HELLO =
            new Hello(1, new TestId(7, 8), Direction.DOWN, 1, 100, 10_000, 0, 1_700_000_000_000L, "site-a", null);

    @Test
    void keyIsSha256OfTheUtf8Secret() {
        // echo -n abc | sha256sum
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                HexFormat.of().formatHex(ThroughputKeys.derive("abc")));
    }

    @Test
    void signedHelloVerifiesWithTheSameKeyOnly() {
        Hello signed = HelloAuth.sign(HELLO, KEY);
        assertEquals(32, signed.hmac().length);
        assertTrue(HelloAuth.verify(signed, KEY));
        assertFalse(HelloAuth.verify(signed, ThroughputKeys.derive("another token")));
        assertFalse(HelloAuth.verify(HELLO, KEY), "unsigned");
    }

    @Test
    void everySignedFieldIsCovered() {
        Hello s = HelloAuth.sign(HELLO, KEY);
        byte[] mac = s.hmac();
        Hello[] tampered = {
            new Hello(1, new TestId(7, 9), s.direction(), 1, 100, 10_000, 0, s.clientTimeMillis(), "site-a", mac),
            new Hello(1, s.testId(), Direction.UP, 1, 100, 10_000, 0, s.clientTimeMillis(), "site-a", mac),
            new Hello(1, s.testId(), s.direction(), 2, 100, 10_000, 0, s.clientTimeMillis(), "site-a", mac),
            new Hello(1, s.testId(), s.direction(), 1, 100, 60_000, 0, s.clientTimeMillis(), "site-a", mac),
            new Hello(1, s.testId(), s.direction(), 1, 100, 10_000, 1, s.clientTimeMillis(), "site-a", mac),
            new Hello(1, s.testId(), s.direction(), 1, 100, 10_000, 0, s.clientTimeMillis() + 1, "site-a", mac),
            new Hello(1, s.testId(), s.direction(), 1, 100, 10_000, 0, s.clientTimeMillis(), "site-b", mac),
        };
        for (Hello t : tampered) {
            assertFalse(HelloAuth.verify(t, KEY), t.toString());
        }
    }

    @Test
    void keyFileIsTrimmed(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("key"), "  s3cret\n");
        assertEquals("s3cret", ThroughputKeys.readSecret(file));
        Path empty = Files.writeString(dir.resolve("empty"), " \n");
        assertThrows(IllegalArgumentException.class, () -> ThroughputKeys.readSecret(empty));
    }
}
