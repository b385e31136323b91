package io.linkprobe.common.stamp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RecentMinTest {
    @Test
    void minimumOfTheLastNValuesOnly() {
        RecentMin m = new RecentMin(3);
        assertEquals(-1, m.min());
        m.add(50);
        m.add(10);
        m.add(30);
        assertEquals(10, m.min());
        m.add(40);
        m.add(60);
        assertEquals(30, m.min(), "10 fell out of the last three");
    }
}
