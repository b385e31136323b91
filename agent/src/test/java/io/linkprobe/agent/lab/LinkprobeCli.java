package io.linkprobe.agent.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * linkprobe itself, run inside the namespaces as separate JVMs on this test JVM's own classpath:
 * {@code AgentMain responder} in the hub and {@code AgentMain test ... --json} in the site. Only
 * process invocation and the JSON contract of {@code test --json}, so this compiles before the
 * agent's CLI exists. {@code -Dlinkprobe.lab.agent="java -jar agent/target/linkprobe-agent.jar"}
 * (a command prefix, split at spaces) runs another build of the agent instead.
 */
final class LinkprobeCli {

    static final int STAMP_PORT = 862;
    static final int THROUGHPUT_PORT = 9863;
    private static final String MAIN_CLASS = "io.linkprobe.agent.AgentMain";
    private static final Duration RESPONDER_START = Duration.ofSeconds(30);

    private LinkprobeCli() {
    }

    static Process startResponder(LabNetwork lab, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("responder", "--stamp-port", Integer.toString(STAMP_PORT),
                "--throughput-port", Integer.toString(THROUGHPUT_PORT)));
        args.addAll(List.of(extraArgs));
        Process responder = lab.startInHub(java(args.toArray(String[]::new)));
        lab.awaitHubListening(responder, "tcp", THROUGHPUT_PORT, RESPONDER_START);
        lab.awaitHubListening(responder, "udp", STAMP_PORT, RESPONDER_START);
        return responder;
    }

    /** {@code test HUB --stamp-port P --throughput-port P2 ARGS... --json}, its one JSON object. */
    static JsonNode test(LabNetwork lab, Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("test", lab.hubAddress(),
                "--stamp-port", Integer.toString(STAMP_PORT), "--throughput-port", Integer.toString(THROUGHPUT_PORT)));
        command.addAll(List.of(args));
        command.add("--json");
        ProcessResult result = lab.runInSite(timeout, java(command.toArray(String[]::new))).requireSuccess();
        return parseJson(result.stdout());
    }

    /**
     * The one JSON object {@code test --json} prints. The child JVM runs on the test classpath, where
     * a test logging configuration may also write to stdout: then the object starting on the last
     * line that begins with '{' wins.
     */
    static JsonNode parseJson(String stdout) {
        ObjectMapper mapper = new ObjectMapper();
        // The whole output first (trailing tokens are ignored), then from the last line opening an object.
        for (int from : new int[] {0, stdout.lastIndexOf("\n{") + 1}) {
            try {
                JsonNode node = mapper.readTree(stdout.substring(from));
                if (node != null && node.isObject()) return node;
            } catch (IOException notHere) {
                // try the next candidate
            }
        }
        throw new AssertionError("linkprobe test --json printed no JSON object:\n" + stdout);
    }

    /** A number the contract promises; a missing field fails the test naming the field. */
    static double number(JsonNode root, String dottedPath) {
        JsonNode node = root;
        for (String part : dottedPath.split("\\.")) node = node.path(part);
        if (!node.isNumber()) throw new AssertionError("linkprobe JSON has no number at " + dottedPath + ": " + root);
        return node.asDouble();
    }

    private static List<String> java(String... args) {
        String override = System.getProperty("linkprobe.lab.agent", "").trim();
        List<String> command = override.isEmpty()
                ? new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), MAIN_CLASS))
                : new ArrayList<>(List.of(override.split("\\s+")));
        command.addAll(List.of(args));
        return command;
    }
}
