package io.linkprobe.agent.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The one line an agent logs when pushes recover, with the outage's length and what it delivered. */
class OutageTest {
    static final long S = TimeUnit.SECONDS.toNanos(1);

    @Test
    void oneLineWhenTheSpoolEmptiesAfterAnOutageAndNoneWithout() {
        Outage o = new Outage();
        o.delivered(10, 1 * S);
        assertNull(o.caughtUp(2 * S), "no outage, no line");

        o.failed("no answer", 10 * S);
        o.failed("503 busy", 100 * S);
        assertNull(o.caughtUp(150 * S), "still out");
        o.delivered(100, 202 * S);
        o.failed("no answer", 202 * S + S / 2); // a failure while catching up continues the outage
        o.delivered(100, 203 * S);
        o.delivered(12, 204 * S);
        assertEquals("Pushes recovered after a 3m13s outage (3 failed attempts, the last: no answer); delivered 212 "
                + "results in 3 batches, the spool emptied 1.5 s after the first accepted push", o.caughtUp(204 * S + S / 2));
        assertNull(o.caughtUp(205 * S), "once");
    }
}
