package io.linkprobe.agent.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The line the lab emulates, impairments all in the router: tbf rate and queue per direction,
 * and a delay line adding one-way delay, jitter and random loss per direction.
 *
 * @param downRateBitsPerSecond hub→site line rate (layer 2, as tbf counts it); 0 = unshaped
 * @param upRateBitsPerSecond   site→hub line rate; 0 = unshaped
 * @param bufferMillis          the router's queue in each direction, in milliseconds at line rate
 * @param delayMillis           one-way delay in each direction, so the base RTT is twice this
 * @param jitterMillis          each packet's delay varies uniformly by ± this, order kept
 * @param lossDownPercent       random loss hub→site
 * @param lossUpPercent         random loss site→hub
 * @param delayLine             false routes straight through the router, no TUN path at all
 */
public record LinkSpec(long downRateBitsPerSecond, long upRateBitsPerSecond, int bufferMillis,
                       double delayMillis, double jitterMillis, double lossDownPercent,
                       double lossUpPercent, boolean delayLine) {

    public LinkSpec {
        if (downRateBitsPerSecond < 0 || upRateBitsPerSecond < 0) throw new IllegalArgumentException("negative rate");
        if (bufferMillis <= 0) throw new IllegalArgumentException("buffer must be positive");
        if (delayMillis < 0 || jitterMillis < 0) throw new IllegalArgumentException("negative delay or jitter");
        if (lossDownPercent < 0 || lossDownPercent > 100 || lossUpPercent < 0 || lossUpPercent > 100) {
            throw new IllegalArgumentException("loss must be 0..100 %");
        }
        if (!delayLine && (delayMillis > 0 || jitterMillis > 0 || lossDownPercent > 0 || lossUpPercent > 0)) {
            throw new IllegalArgumentException("delay, jitter and loss need the delay line");
        }
    }

    /** No shaping, no delay: the delay line still forwards, adding only its own overhead. */
    public static LinkSpec unshaped() {
        return new LinkSpec(0, 0, 100, 0, 0, 0, 0, true);
    }

    public static LinkSpec shapedMbit(double downMbit, double upMbit) {
        return unshaped().withRates(Math.round(downMbit * 1e6), Math.round(upMbit * 1e6));
    }

    public LinkSpec withRates(long downBitsPerSecond, long upBitsPerSecond) {
        return new LinkSpec(downBitsPerSecond, upBitsPerSecond, bufferMillis, delayMillis, jitterMillis,
                lossDownPercent, lossUpPercent, delayLine);
    }

    public LinkSpec withBufferMillis(int millis) {
        return new LinkSpec(downRateBitsPerSecond, upRateBitsPerSecond, millis, delayMillis, jitterMillis,
                lossDownPercent, lossUpPercent, delayLine);
    }

    /** One-way delay in each direction; the base RTT is twice this. */
    public LinkSpec withDelayMillis(double oneWayMillis) {
        return new LinkSpec(downRateBitsPerSecond, upRateBitsPerSecond, bufferMillis, oneWayMillis, jitterMillis,
                lossDownPercent, lossUpPercent, delayLine);
    }

    public LinkSpec withJitterMillis(double millis) {
        return new LinkSpec(downRateBitsPerSecond, upRateBitsPerSecond, bufferMillis, delayMillis, millis,
                lossDownPercent, lossUpPercent, delayLine);
    }

    public LinkSpec withLossPercent(double down, double up) {
        return new LinkSpec(downRateBitsPerSecond, upRateBitsPerSecond, bufferMillis, delayMillis, jitterMillis,
                down, up, delayLine);
    }

    public LinkSpec withoutDelayLine() {
        return new LinkSpec(downRateBitsPerSecond, upRateBitsPerSecond, bufferMillis, delayMillis, jitterMillis,
                lossDownPercent, lossUpPercent, false);
    }

    public double baseRttMillis() {
        return 2 * delayMillis;
    }

    /** Arguments for {@code lab.sh up}. */
    List<String> labArguments() {
        List<String> args = new ArrayList<>(List.of(
                "--down-rate", rate(downRateBitsPerSecond), "--up-rate", rate(upRateBitsPerSecond),
                "--buffer-ms", Integer.toString(bufferMillis)));
        if (delayLine) {
            args.addAll(List.of("--delay-ms", number(delayMillis), "--jitter-ms", number(jitterMillis),
                    "--loss-down", number(lossDownPercent), "--loss-up", number(lossUpPercent)));
        } else {
            args.add("--no-delayline");
        }
        return args;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s down / %s up, %d ms buffer, %.1f ms base RTT, ±%.1f ms jitter, "
                        + "loss %.2f %% down / %.2f %% up%s", human(downRateBitsPerSecond), human(upRateBitsPerSecond),
                bufferMillis, baseRttMillis(), jitterMillis, lossDownPercent, lossUpPercent,
                delayLine ? "" : ", no delay line");
    }

    private static String rate(long bitsPerSecond) {
        return bitsPerSecond == 0 ? "0" : bitsPerSecond + "bit";
    }

    private static String human(long bitsPerSecond) {
        return bitsPerSecond == 0 ? "unshaped" : String.format(Locale.ROOT, "%.1f Mbit/s", bitsPerSecond / 1e6);
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
