package io.linkprobe.collector.archive;

/** A result read back from the archive; {@code json} is the sample as it was pushed. */
public record StoredSample(String target, String type, long endMillis, String json) {}
