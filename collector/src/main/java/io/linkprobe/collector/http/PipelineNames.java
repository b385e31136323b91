package io.linkprobe.collector.http;

/**
 * The names of the collector's HTTP pipeline handlers, in pipeline order (socket first). The one
 * place that draws the order; {@link HttpChannelInitializer} adds them in exactly this order.
 *
 * <pre>
 * socket
 *   ↕ tls           SslHandler, only when http.tls is configured
 *   ↕ limiter       ConnectionLimiter: max_connections, answers 503 past it
 *   ↕ timeouts      ConnectionTimeouts: read_timeout (408) while a request arrives, idle_timeout between
 *   ↕ codec         HttpServerCodec: request line and header limits (414, 431)
 *   ↕ compressor    HttpContentCompressor: gzip responses (/metrics) when the client accepts it
 *   ↕ aggregator    BodyLimitAggregator: whole request, max_body_bytes as received (413)
 *   ↕ decompressor  GzipRequestDecoder: gzip/deflate bodies, max_body_bytes again after inflating (413)
 *   ↕ handler       RequestHandler: routes to endpoints, answers in order, keep-alive
 * </pre>
 */
public final class PipelineNames {
    public static final String TLS = "tls";
    public static final String LIMITER = "limiter";
    public static final String TIMEOUTS = "timeouts";
    public static final String CODEC = "codec";
    public static final String COMPRESSOR = "compressor";
    public static final String AGGREGATOR = "aggregator";
    public static final String DECOMPRESSOR = "decompressor";
    public static final String HANDLER = "handler";

    private PipelineNames() {}
}
