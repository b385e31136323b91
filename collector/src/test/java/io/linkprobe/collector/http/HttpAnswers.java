package io.linkprobe.collector.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The status codes of the HTTP/1.1 responses in what a connection received, read response by
 * response (status line, headers, then a body of {@code content-length} bytes or in chunks), so
 * that a body which happens to hold "HTTP/1.1 500" (an endpoint's binary answer, an echoed path)
 * is not taken for a response. Stops at the first thing that is not a whole response.
 */
final class HttpAnswers {
    private HttpAnswers() {}

    /** @param raw the bytes received, one char per byte (ISO-8859-1) */
    static List<Integer> statuses(String raw) {
        List<Integer> statuses = new ArrayList<>();
        int at = 0;
        while (at < raw.length() && raw.startsWith("HTTP/1.1 ", at)) {
            if (raw.length() < at + 12) {
                break;
            }
            try {
                statuses.add(Integer.parseInt(raw.substring(at + 9, at + 12)));
            } catch (NumberFormatException e) {
                break;
            }
            int headEnd = raw.indexOf("\r\n\r\n", at);
            if (headEnd < 0) {
                break; // cut short within its head: its status still counts
            }
            long length = -1;
            boolean chunked = false;
            for (String line : raw.substring(at, headEnd).split("\r\n")) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            at = headEnd + 4;
            if (chunked) {
                at = afterChunks(raw, at);
            } else if (length >= 0) {
                at = (int) Math.min(raw.length(), at + length);
            } else {
                break; // a body up to the close
            }
            if (at < 0) {
                break;
            }
        }
        return statuses;
    }

    private static int afterChunks(String raw, int at) {
        while (true) {
            int lineEnd = raw.indexOf("\r\n", at);
            if (lineEnd < 0) {
                return -1;
            }
            String size = raw.substring(at, lineEnd);
            int semicolon = size.indexOf(';');
            long n;
            try {
                n = Long.parseLong((semicolon >= 0 ? size.substring(0, semicolon) : size).trim(), 16);
            } catch (NumberFormatException e) {
                return -1;
            }
            at = lineEnd + 2;
            if (n == 0) {
                int end = raw.indexOf("\r\n", at); // trailers, if any, end with an empty line
                while (end >= 0 && end != at) {
                    at = end + 2;
                    end = raw.indexOf("\r\n", at);
                }
                return end < 0 ? -1 : end + 2;
            }
            at += (int) n + 2;
            if (at > raw.length()) {
                return -1;
            }
        }
    }
}
