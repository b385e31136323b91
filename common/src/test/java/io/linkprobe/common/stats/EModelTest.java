package io.linkprobe.common.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EModelTest {

    @Test
    void theDefaultsGiveG107sRatingOf93point2() {
        assertEquals(93.2, EModel.rating(0, 0, 1, 0, 25.1), 0.05);
        assertEquals(4.41, EModel.mos(93.2), 0.005);
    }

    @Test
    void annexBMapsTheG109CategoryBoundsToTheirMos() {
        assertEquals(3.6, EModel.mos(70), 0.005);   // "many users dissatisfied" below
        assertEquals(4.02, EModel.mos(80), 0.005);  // "users satisfied" above
        assertEquals(1.0, EModel.mos(-5));
        assertEquals(4.5, EModel.mos(120));
    }

    @Test
    void delayCostsNothingUpTo100msThenIddGrows() {
        assertEquals(0, EModel.idd(100));
        // X = 1 at Ta = 200 ms: 25 · (2^(1/6) − 3 · (1 + 3^-6)^(1/6) + 2)
        double expected = 25 * (Math.pow(2, 1.0 / 6) - 3 * Math.pow(1 + Math.pow(1.0 / 3, 6), 1.0 / 6) + 2);
        assertEquals(expected, EModel.idd(200), 1e-9);
        assertEquals(3.04, EModel.idd(200), 0.01);
        assertTrue(EModel.rating(400, 0, 1, 0, 25.1) < EModel.rating(150, 0, 1, 0, 25.1));
    }

    @Test
    void lossImpairsByIeEffAndBurstsHurtMore() {
        // Ie,eff = Ie + (95 − Ie) · Ppl / (Ppl / BurstR + Bpl): 95 · 1 / (1 + 25.1) at 1 % random loss
        assertEquals(95 / 26.1, EModel.ieEff(1, 1, 0, 25.1), 1e-9);
        assertTrue(EModel.ieEff(2, 4, 0, 25.1) > EModel.ieEff(2, 1, 0, 25.1), "bursty loss hurts more");
        assertEquals(0, EModel.ieEff(0, 1, 0, 25.1));
    }

    @Test
    void echoImpairmentsVanishAtZeroDelay() {
        assertEquals(0, EModel.idte(0), 1e-9);
        assertEquals(0.15, EModel.idle(0), 0.01);
        assertTrue(EModel.idte(150) > EModel.idte(50));
    }
}
