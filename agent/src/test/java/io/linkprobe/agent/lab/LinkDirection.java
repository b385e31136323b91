package io.linkprobe.agent.lab;

/** Download is hub → site (the responder sends), upload is site → hub. */
public enum LinkDirection {
    DOWN("download"),
    UP("upload");

    private final String jsonKey;

    LinkDirection(String jsonKey) {
        this.jsonKey = jsonKey;
    }

    /** The key of this direction's object in {@code linkprobe test --json}. */
    public String jsonKey() {
        return jsonKey;
    }

    public long rateBitsPerSecond(LinkSpec spec) {
        return this == DOWN ? spec.downRateBitsPerSecond() : spec.upRateBitsPerSecond();
    }

    public double lossPercent(LinkSpec spec) {
        return this == DOWN ? spec.lossDownPercent() : spec.lossUpPercent();
    }
}
