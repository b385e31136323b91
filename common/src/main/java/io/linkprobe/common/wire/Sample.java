package io.linkprobe.common.wire;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One result in a push. Every sample carries its own measurement time, so that samples pushed late
 * (from the spool, after an outage) keep the time they were measured, not the time they arrived.
 *
 * <p>The family is sealed and each member names its {@link Kind}: consumers dispatch through one
 * {@link Visitor} (or an exhaustive {@code switch} over {@link #kind()}), so adding a kind fails
 * the build everywhere it must be handled. The kind's wire name is the JSON {@code type} and the
 * archive's {@code type} column, declared here once.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LatencyWindow.class, name = Sample.Kind.LATENCY_NAME),
    @JsonSubTypes.Type(value = ThroughputResult.class, name = Sample.Kind.THROUGHPUT_NAME),
    @JsonSubTypes.Type(value = ConnectResult.class, name = Sample.Kind.CONNECT_NAME),
    @JsonSubTypes.Type(value = AgentHealth.class, name = Sample.Kind.HEALTH_NAME),
    @JsonSubTypes.Type(value = VideoResult.class, name = Sample.Kind.VIDEO_NAME),
})
public sealed interface Sample permits LatencyWindow, ThroughputResult, ConnectResult, AgentHealth, VideoResult {
    /** When the measurement ended, Unix epoch milliseconds. */
    long endEpochMillis();

    /** The target the sample is about; null for samples about the agent itself. */
    String target();

    /** What kind of result this is. */
    @JsonIgnore
    Kind kind();

    /** Calls the visitor's method for this sample's kind and returns what it returns. */
    <R> R accept(Visitor<R> visitor);

    /**
     * One method per kind. Java 17 has no pattern matching over a sealed family in {@code switch},
     * so this is the exhaustive form: a new kind adds a method here, and every consumer stops
     * compiling until it handles it.
     */
    interface Visitor<R> {
        R latency(LatencyWindow window);

        R throughput(ThroughputResult result);

        R connect(ConnectResult result);

        R health(AgentHealth health);

        R video(VideoResult result);
    }

    /** The kinds of sample, with their wire names (JSON {@code type}, archive {@code type}). */
    enum Kind {
        LATENCY(Kind.LATENCY_NAME),
        THROUGHPUT(Kind.THROUGHPUT_NAME),
        CONNECT(Kind.CONNECT_NAME),
        HEALTH(Kind.HEALTH_NAME),
        VIDEO(Kind.VIDEO_NAME);

        // Constants, because annotation values (the JSON subtype names above) must be.
        static final String LATENCY_NAME = "latency";
        static final String THROUGHPUT_NAME = "throughput";
        static final String CONNECT_NAME = "connect";
        static final String HEALTH_NAME = "health";
        static final String VIDEO_NAME = "video";

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        /** The kind with this wire name, or null. */
        public static Kind ofWireName(String name) {
            for (Kind k : values()) {
                if (k.wireName.equals(name)) {
                    return k;
                }
            }
            return null;
        }
    }
}
