package io.linkprobe.agent.lab;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * tcpdump on the site's eth0 (the STAMP sender's own interface) while linkprobe probes, read back
 * with tshark: per STAMP sequence number, when the request left and the reply came back on the
 * wire, and the turnaround (T3 - T2) the reflector stated in it. Wire RTT less that turnaround is
 * what linkprobe reports for the same packet, as it would be with a perfect clock at the sender.
 */
final class StampCapture implements AutoCloseable {

    /** One answered packet on the wire: its RTT less the stated turnaround, in ms. */
    record WirePacket(long seq, double rttMillis) {
    }

    /** What the capture holds: the answered STAMP packets, and irtt's raw wire RTTs (ms) if captured. */
    record Result(List<WirePacket> stamp, double[] irttRawMillis) {
        double[] stampMillis() {
            return stamp.stream().mapToDouble(WirePacket::rttMillis).toArray();
        }
    }

    private final LabNetwork lab;
    private final Path pcap;
    private final Process tcpdump;
    private final String hubAddress;

    private StampCapture(LabNetwork lab, Path pcap, Process tcpdump) {
        this.lab = lab;
        this.pcap = pcap;
        this.tcpdump = tcpdump;
        this.hubAddress = lab.hubAddress();
    }

    /** Skips the calling test where tcpdump or tshark is missing. */
    static void assumeTools() {
        for (String tool : List.of("tcpdump", "tshark")) {
            boolean found = false;
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                found |= Path.of(dir, tool).toFile().canExecute();
            }
            assumeTrue(found, tool + " is not installed (apt-get install " + tool + "): skipping the capture comparison");
        }
    }

    /** Captures STAMP on {@code port}, and irtt on its port too when {@code withIrtt}. */
    static StampCapture start(LabNetwork lab, int port, boolean withIrtt) {
        Path pcap = lab.logDir().resolve("site-" + port + ".pcap");
        List<String> command = new ArrayList<>(List.of("tcpdump", "-i", "eth0", "-s", "200", "-B", "8192", "-U", "-n", "-w",
                pcap.toString(), "udp", "port", Integer.toString(port)));
        if (withIrtt) command.addAll(List.of("or", "udp", "port", Integer.toString(Irtt.PORT)));
        Process p = lab.startInSite(command);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!lab.output(p).contains("listening on") && System.nanoTime() < deadline) {
            LabNetwork.sleep(Duration.ofMillis(50));
        }
        if (!p.isAlive()) throw new AssertionError("tcpdump exited:\n" + lab.output(p));
        LabNetwork.sleep(Duration.ofMillis(300)); // the filter is attached just after the message
        return new StampCapture(lab, pcap, p);
    }

    /**
     * Stops the capture: the answered STAMP packets of sequence 0 .. count-1, in order, and irtt's
     * raw wire RTTs (each reply against the request just before it; irtt's server time included).
     */
    Result stop(long count) {
        LabNetwork.sleep(Duration.ofMillis(300));
        Processes.stop(tcpdump);
        ProcessResult read = Processes.run(List.of("tshark", "-r", pcap.toString(), "-T", "fields", "-E", "separator=,",
                "-e", "frame.time_epoch", "-e", "ip.src", "-e", "udp.dstport", "-e", "udp.srcport", "-e", "udp.payload"),
                Duration.ofSeconds(60), lab.logDir()).requireSuccess();
        List<Double> irtt = new ArrayList<>();
        double lastIrttRequest = -1;
        Map<Long, Double> sent = new TreeMap<>();
        Map<Long, double[]> replies = new TreeMap<>(); // seq -> {time, turnaround seconds}
        HexFormat hex = HexFormat.of();
        for (String line : read.stdout().lines().toList()) {
            String[] f = line.split(",", -1);
            if (f.length < 5 || f[4].isEmpty()) continue;
            double t = Double.parseDouble(f[0]);
            if (f[2].equals(Integer.toString(Irtt.PORT))) {
                lastIrttRequest = t;
                continue;
            }
            if (f[3].equals(Integer.toString(Irtt.PORT))) {
                if (lastIrttRequest >= 0) irtt.add((t - lastIrttRequest) * 1e3);
                lastIrttRequest = -1;
                continue;
            }
            ByteBuffer b = ByteBuffer.wrap(hex.parseHex(f[4].replace(":", "")));
            if (!f[1].equals(hubAddress) && b.capacity() >= 16) {
                sent.putIfAbsent(b.getInt(0) & 0xFFFFFFFFL, t);
            } else if (f[1].equals(hubAddress) && b.capacity() >= 36) {
                double turnaround = ntpSeconds(b.getLong(4)) - ntpSeconds(b.getLong(16));
                replies.putIfAbsent(b.getInt(24) & 0xFFFFFFFFL, new double[] {t, turnaround});
            }
        }
        List<WirePacket> out = new ArrayList<>();
        for (Map.Entry<Long, double[]> e : replies.entrySet()) {
            Double t1 = sent.get(e.getKey());
            if (t1 == null || e.getKey() >= count) continue;
            double rtt = e.getValue()[0] - t1;
            double turnaround = e.getValue()[1];
            out.add(new WirePacket(e.getKey(), (turnaround > 0 && turnaround < rtt ? rtt - turnaround : rtt) * 1e3));
        }
        return new Result(out, irtt.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Override
    public void close() {
        if (tcpdump.isAlive()) Processes.stop(tcpdump);
    }

    private static double ntpSeconds(long ntp) {
        return (ntp >>> 32) + (ntp & 0xFFFFFFFFL) / 4294967296.0;
    }

    /** Nearest-rank quantile, as linkprobe's own percentiles. */
    static double quantile(double[] values, double q) {
        double[] s = values.clone();
        java.util.Arrays.sort(s);
        if (s.length == 0) throw new AssertionError("no values");
        return s[Math.max(0, (int) Math.ceil(q * s.length) - 1)];
    }
}
