package io.linkprobe.common.throughput.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Admission admission = new Admission(1, 2, 10_000, now::get);

    @Test
    void secondTestIsToldToComeBackWhenTheFirstEnds() {
        Admission.Decision first = admission.request("a", 12_000);
        assertTrue(first.admitted());
        now.addAndGet(2_000);
        Admission.Decision second = admission.request("b", 12_000);
        assertFalse(second.admitted());
        assertEquals(10_000, second.retryAfterMillis(), "first test's remaining time");
        assertEquals(1, second.queuePosition());
        assertEquals(1, admission.queueLength());
    }

    @Test
    void queuedClientsAreSpreadByTheMaximumDuration() {
        admission.request("a", 12_000);
        assertEquals(12_000, admission.request("b", 12_000).retryAfterMillis());
        Admission.Decision third = admission.request("c", 12_000);
        assertEquals(22_000, third.retryAfterMillis());
        assertEquals(2, third.queuePosition());
    }

    @Test
    void aReservationGoesBeforeANewcomerOnceDue() {
        Admission.Slot a = admission.request("a", 12_000).slot();
        admission.request("b", 12_000);
        now.addAndGet(12_000);
        admission.release(a);
        Admission.Decision newcomer = admission.request("c", 12_000);
        assertFalse(newcomer.admitted(), "b's reservation is due");
        assertTrue(admission.request("b", 12_000).admitted());
    }

    @Test
    void aReturningClientKeepsItsPlaceIfTheSlotIsStillTaken() {
        admission.request("a", 12_000);
        admission.request("b", 12_000);
        admission.request("c", 12_000);
        now.addAndGet(12_500);
        Admission.Decision again = admission.request("b", 12_000);
        assertFalse(again.admitted(), "a overran its expected end");
        assertEquals(1, again.queuePosition());
        assertEquals(2, admission.queueLength());
    }

    @Test
    void reservationsLapseAfterTheirGrace() {
        admission.request("a", 12_000);
        admission.request("b", 12_000);
        now.addAndGet(12_000 + Admission.graceMillis(12_000) + 1);
        assertEquals(0, admission.queueLength());
    }

    @Test
    void beyondTheQueueLimitNobodyIsReservedButRetryIsPastTheQueue() {
        admission.request("a", 12_000);
        admission.request("b", 12_000);
        admission.request("c", 12_000);
        Admission.Decision d = admission.request("d", 12_000);
        assertFalse(d.admitted());
        assertEquals(3, d.queuePosition());
        assertEquals(32_000, d.retryAfterMillis());
        assertEquals(2, admission.queueLength());
    }

    @Test
    void releasedSlotAdmitsTheNextWhenNobodyIsQueued() {
        Admission.Slot a = admission.request("a", 12_000).slot();
        admission.release(a);
        assertTrue(admission.request("b", 12_000).admitted());
        assertEquals(1, admission.running());
    }
}
