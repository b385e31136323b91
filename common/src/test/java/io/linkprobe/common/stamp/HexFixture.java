package io.linkprobe.common.stamp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the annotated hex files next to the tests: hex byte pairs, {@code #} starts a comment. */
final class HexFixture {
    private HexFixture() {}

    static byte[] load(String name) {
        try (InputStream in = HexFixture.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test fixture " + name);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int hash = line.indexOf('#');
                String data = (hash < 0 ? line : line.substring(0, hash)).trim();
                if (!data.isEmpty()) {
                    for (String pair : data.split("\\s+")) {
                        out.write(Integer.parseInt(pair, 16));
                    }
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
