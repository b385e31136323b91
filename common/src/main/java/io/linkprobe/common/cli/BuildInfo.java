package io.linkprobe.common.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What was built: the version, the git revision and the build date that the build wrote into
 * {@code build.properties}, and the Java runtime this process runs on. Both binaries print it for
 * {@code --version} and the collector exposes it as {@code linkprobe_build_info}, as every
 * Prometheus exporter does, so that "which build is running where" is a query, not a login.
 *
 * <p>Run from classes without the build's resource filtering (an IDE), or built outside a git
 * checkout, the missing values read {@code unknown}.
 */
public record BuildInfo(String version, String revision, String buildDate, String javaVersion) {
    public static final String UNKNOWN = "unknown";
    private static final BuildInfo CURRENT = load();

    /** This process's build. */
    public static BuildInfo current() {
        return CURRENT;
    }

    /** {@code linkprobe-agent 0.1.0 (revision 3f2c…, built 2026-12-04T10:00:00Z, java 17.0.13)}. */
    public String versionLine(String program) {
        return program + " " + version + " (revision " + revision + ", built " + buildDate + ", java " + javaVersion + ")";
    }

    private static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/io/linkprobe/common/build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BuildInfo(value(p, "version"), value(p, "revision"), value(p, "build_date"),
                System.getProperty("java.version", UNKNOWN));
    }

    /** An unfiltered placeholder ({@code ${...}}) or an empty value is unknown. */
    private static String value(Properties p, String key) {
        String v = p.getProperty(key, "").trim();
        return v.isEmpty() || v.startsWith("${") ? UNKNOWN : v;
    }
}
