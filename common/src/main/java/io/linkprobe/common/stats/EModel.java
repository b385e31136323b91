package io.linkprobe.common.stats;

/**
 * The ITU-T G.107 (06/2015) E-model, reduced to what a network measurement can feed it: the
 * transmission rating R from the mouth-to-ear delay and the packet loss seen by the codec, every
 * other parameter at its G.107 Table 3 default, and MOS from R by G.107 Annex B.
 *
 * <pre>
 * R   = Ro − Is − Id − Ie,eff + A                          (G.107 §7.1, A = 0)
 * Ro − Is = 94.77 − 1.41                                   (the defaults' values; with Id = 0.15 at
 *                                                           zero delay they give G.107's R = 93.2)
 * Id  = Idte + Idle + Idd                                  (§7.4; T = Ta, Tr = 2·Ta)
 *   Idte = [(Roe − Re)/2 + √((Roe − Re)²/4 + 100) − 1] · (1 − e^−T),  Roe = 94.77,
 *          Re = 80 + 2.5·(TERV − 14),  TERV = TELR − 40·log10((1 + T/10)/(1 + T/150)) + 6·e^(−0.3·T²),  TELR = 65 dB
 *   Idle = (Ro − Rle)/2 + √((Ro − Rle)²/4 + 169),  Rle = 10.5·(WEPL + 7)·(Tr + 1)^−0.25,  WEPL = 110 dB
 *   Idd  = 0 for Ta ≤ 100 ms, else 25·[(1 + X⁶)^(1/6) − 3·(1 + (X/3)⁶)^(1/6) + 2],  X = log10(Ta/100)/log10(2)
 * Ie,eff = Ie + (95 − Ie) · Ppl / (Ppl/BurstR + Bpl)      (§7.5, Ppl in %)
 * MOS = 1 for R &lt; 0; 1 + 0.035·R + R·(R − 60)·(100 − R)·7·10⁻⁶ for 0 ≤ R ≤ 100; 4.5 above  (Annex B)
 * </pre>
 * All delays in milliseconds.
 */
public final class EModel {
    /** Ro and Is at the Table 3 defaults (SLR 8, RLR 2, Nc −70, Ps = Pr = 35 dB(A), STMR 15, qdu 1). */
    static final double RO = 94.77;
    static final double IS = 1.41;
    static final double TELR = 65;
    static final double WEPL = 110;

    private EModel() {}

    /**
     * The rating R.
     *
     * @param taMillis absolute mouth-to-ear delay Ta (one-way network delay + jitter buffer + packetisation)
     * @param pplPercent packets the codec does not get (lost or too late for its buffer), 0-100
     * @param burstR the loss's burst ratio (1 = random, above 1 = bursty; G.107 §7.5)
     * @param ie the codec's equipment impairment factor (G.113 Appendix I)
     * @param bpl the codec's packet-loss robustness factor (G.113 Appendix I)
     */
    public static double rating(double taMillis, double pplPercent, double burstR, double ie, double bpl) {
        double ta = Math.max(0, taMillis);
        return RO - IS - idte(ta) - idle(2 * ta) - idd(ta) - ieEff(pplPercent, burstR, ie, bpl);
    }

    /** MOS (conversational quality, estimated) from R, G.107 Annex B. */
    public static double mos(double r) {
        if (r < 0) {
            return 1.0;
        }
        if (r > 100) {
            return 4.5;
        }
        return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
    }

    static double idd(double ta) {
        if (ta <= 100) {
            return 0;
        }
        double x = Math.log10(ta / 100) / Math.log10(2);
        return 25 * (Math.pow(1 + Math.pow(x, 6), 1.0 / 6) - 3 * Math.pow(1 + Math.pow(x / 3, 6), 1.0 / 6) + 2);
    }

    /** Talker echo, T the mean one-way delay of the echo path. */
    static double idte(double t) {
        double terv = TELR - 40 * Math.log10((1 + t / 10) / (1 + t / 150)) + 6 * Math.exp(-0.3 * t * t);
        double re = 80 + 2.5 * (terv - 14);
        double d = RO - re; // Roe = −1.5 (No − RLR) = 94.77 at the defaults, the same as Ro
        return (d / 2 + Math.sqrt(d * d / 4 + 100) - 1) * (1 - Math.exp(-t));
    }

    /** Listener echo, Tr the round-trip delay of the 4-wire loop. */
    static double idle(double tr) {
        double rle = 10.5 * (WEPL + 7) * Math.pow(tr + 1, -0.25);
        double d = RO - rle;
        return d / 2 + Math.sqrt(d * d / 4 + 169);
    }

    static double ieEff(double pplPercent, double burstR, double ie, double bpl) {
        double ppl = Math.max(0, Math.min(100, pplPercent));
        double b = Math.max(1, burstR);
        return ie + (95 - ie) * ppl / (ppl / b + bpl);
    }
}
