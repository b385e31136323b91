package io.linkprobe.collector.archive;

/** A site as the archive remembers it: its last accepted push and the identity it pushed with. */
public record KnownSite(String site, long lastPushMillis, String identityJson) {}
