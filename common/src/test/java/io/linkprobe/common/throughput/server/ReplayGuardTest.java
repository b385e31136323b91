package io.linkprobe.common.throughput.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.throughput.protocol.TestId;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final ReplayGuard guard = new ReplayGuard(now::get);

    @Test
    void aTestIdIsAcceptedOnce() {
        TestId id = TestId.random();
        assertTrue(guard.check(id, now.get(), true).isEmpty());
        assertTrue(guard.check(id, now.get(), true).get().contains("already used"));
    }

    @Test
    void timestampsOutsideFiveMinutesAreRefused() {
        assertTrue(guard.check(TestId.random(), now.get() - 299_000, true).isEmpty());
        assertTrue(guard.check(TestId.random(), now.get() + 299_000, true).isEmpty());
        assertTrue(guard.check(TestId.random(), now.get() - 301_000, true).get().contains("NTP"));
        assertTrue(guard.check(TestId.random(), now.get() + 301_000, true).isPresent());
    }

    @Test
    void withoutAuthenticationTheClockIsNotChecked() {
        assertTrue(guard.check(TestId.random(), 0, false).isEmpty());
    }

    @Test
    void oldIdsAreForgottenOnceTheirTimestampWouldFailAnyway() {
        TestId id = TestId.random();
        guard.check(id, now.get(), true);
        now.addAndGet(2 * ReplayGuard.WINDOW_MILLIS + 1);
        assertFalse(guard.check(id, now.get(), true).isPresent(), "forgotten; a replay now fails on time");
    }
}
