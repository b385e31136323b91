package io.linkprobe.collector.metrics;

/**
 * The value behind a "latest window" gauge, with the measurement time it belongs to: a late
 * result (replayed from an agent's spool after an outage) must not overwrite a fresher one.
 */
final class GaugeValue {
    private double value = Double.NaN;
    private long asOfMillis = Long.MIN_VALUE;

    synchronized void offer(double newValue, long measuredAtMillis) {
        if (measuredAtMillis >= asOfMillis) {
            value = newValue;
            asOfMillis = measuredAtMillis;
        }
    }

    synchronized double get() {
        return value;
    }
}
