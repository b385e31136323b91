package io.linkprobe.collector.http;

import java.util.concurrent.CompletionStage;

/**
 * One HTTP resource. Must read {@link Request#body()} before returning: the buffer is released
 * when {@code handle} returns, while the reply may complete later (e.g. after the archive commit).
 */
@FunctionalInterface
public interface Endpoint {
    CompletionStage<Reply> handle(Request request);
}
