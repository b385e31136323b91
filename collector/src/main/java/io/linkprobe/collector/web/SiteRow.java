package io.linkprobe.collector.web;

import io.linkprobe.collector.sites.SiteHealth;
import io.linkprobe.collector.sites.SiteView;
import io.linkprobe.common.wire.VideoResult;

/**
 * One line of the status table: a {@link SiteView} reduced to the figures shown and sorted on.
 * A site probing several targets shows its worst target's RTT and its loss over all targets.
 *
 * @param rttP50Seconds the highest p50 among the latest windows of the site's targets; null if none
 * @param rttTarget the target that RTT is towards
 * @param lossUp packets lost site → hub over packets sent, latest window of every target
 * @param lossRatio both directions; the sort key of the loss column
 */
record SiteRow(
        SiteView view,
        String region,
        String link,
        int severity,
        Double rttP50Seconds,
        String rttTarget,
        Double lossUp,
        Double lossDown,
        Double lossRatio,
        Rate down,
        Rate up,
        String noReplyTarget,
        Video video) {

    /**
     * The latest video test of the site's worst target (lowest verdict, then fewest calls).
     *
     * @param rank the sort key: verdict (0 not_ready, 1 marginal, 2 ready) × 1000 + calls
     */
    record Video(String target, String verdict, String reason, int calls, int rank) {}

    /**
     * The latest throughput test in one direction against the contract.
     *
     * @param ratio rate over contract when both are known and the test succeeded, else null
     */
    record Rate(String result, double bytesPerSecond, Double expectedBytesPerSecond, Double ratio, String grade) {
        boolean ok() {
            return "ok".equals(result);
        }
    }

    static SiteRow of(SiteView v) {
        Double rtt = null;
        String rttTarget = null;
        long sent = 0;
        long lostUp = 0;
        long lostDown = 0;
        String noReply = null;
        for (SiteView.Latency l : v.latency()) {
            if (l.sent() > 0 && l.received() == 0) {
                noReply = noReply == null ? l.target() : noReply;
                continue; // not loss in one direction: no reply at all
            }
            sent += l.sent();
            lostUp += l.lostUp();
            lostDown += l.lostDown();
            if (l.rttP50Seconds() != null && (rtt == null || l.rttP50Seconds() > rtt)) {
                rtt = l.rttP50Seconds();
                rttTarget = l.target();
            }
        }
        Rate down = null;
        Rate up = null;
        for (SiteView.Throughput t : v.throughput()) {
            Double ratio = "ok".equals(t.result()) && t.expectedBytesPerSecond() != null
                    ? t.bytesPerSecond() / t.expectedBytesPerSecond() : null;
            Rate rate = new Rate(t.result(), t.bytesPerSecond(), t.expectedBytesPerSecond(), ratio, t.grade());
            if ("down".equals(t.direction())) {
                down = rate;
            } else if ("up".equals(t.direction())) {
                up = rate;
            }
        }
        Video video = null;
        for (SiteView.Video t : v.video()) {
            VideoResult.Verdict verdict = VideoResult.Verdict.ofWireName(t.verdict());
            int rank = (verdict == null ? 0 : verdict.gaugeValue()) * 1000 + t.calls();
            if (video == null || rank < video.rank()) {
                video = new Video(t.target(), t.verdict(), t.reason(), t.calls(), rank);
            }
        }
        return new SiteRow(v, v.labels().get("region"), v.labels().get("link"), severity(v.health()), rtt, rttTarget,
                sent == 0 ? null : (double) lostUp / sent, sent == 0 ? null : (double) lostDown / sent,
                // A target that does not answer sorts as the worst loss, though it is shown as "no reply".
                noReply != null ? Double.valueOf(1.0) : sent == 0 ? null : (double) (lostUp + lostDown) / sent, down, up,
                noReply, video);
    }

    /** The video column's sort key; null for a site without a video test. */
    Integer videoRank() {
        return video == null ? null : video.rank();
    }

    String site() {
        return view.site();
    }

    /** The worse of the two directions' bufferbloat grades, as a number (A = 0 … F = 5); null if none. */
    Integer worstGrade() {
        Integer d = gradeRank(down);
        Integer u = gradeRank(up);
        return d == null ? u : u == null ? d : Math.max(d, u);
    }

    private static Integer gradeRank(Rate r) {
        if (r == null || r.grade() == null || r.grade().length() != 1) {
            return null;
        }
        int rank = r.grade().charAt(0) - 'A';
        return rank >= 0 && rank < 26 ? rank : null;
    }

    private static int severity(String health) {
        return switch (health) {
            case SiteHealth.DOWN -> 2;
            case SiteHealth.DEGRADED -> 1;
            default -> 0;
        };
    }
}
