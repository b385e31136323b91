package io.linkprobe.collector.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class HttpAnswersTest {

    @Test
    void aBodyHoldingAStatusLineIsNotAResponse() {
        String raw = "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: 16\r\n\r\n"
                + "HTTP/1.1 500 xxx"
                + "HTTP/1.1 400 Bad Request\r\ncontent-length: 3\r\nconnection: close\r\n\r\nbad";
        assertEquals(List.of(200, 400), HttpAnswers.statuses(raw));
    }

    @Test
    void chunkedBodiesAreSkippedChunkByChunk() {
        String raw = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
                + "c\r\nHTTP/1.1 500\r\n0\r\n\r\n"
                + "HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n";
        assertEquals(List.of(200, 500), HttpAnswers.statuses(raw));
    }

    @Test
    void aTruncatedResponseStillCountsItsStatus() {
        assertEquals(List.of(500), HttpAnswers.statuses("HTTP/1.1 500 Internal Server Error\r\ncontent-length: 90\r\n\r\nab"));
        assertEquals(List.of(), HttpAnswers.statuses("garbage"));
    }
}
