package io.linkprobe.collector.http;

import io.linkprobe.collector.config.Limits;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;

/** Builds each connection's pipeline in the order {@link PipelineNames} draws. */
public final class HttpChannelInitializer extends ChannelInitializer<SocketChannel> {
    /** Request line limit; the longest real one is a history query, well under 1 KiB. */
    static final int MAX_INITIAL_LINE_BYTES = 4096;
    /** Responses smaller than this are not worth compressing. */
    private static final int COMPRESS_ABOVE_BYTES = 1024;

    private final SslContext ssl;
    private final Limits limits;
    private final ConnectionLimiter limiter;
    private final Router router;
    private final RejectionCounter rejections;
    private final ChannelGroup connections;

    /** @param connections every accepted connection joins it, so that shutdown can close them all */
    public HttpChannelInitializer(SslContext ssl, Limits limits, ConnectionLimiter limiter, Router router,
            RejectionCounter rejections, ChannelGroup connections) {
        this.connections = connections;
        this.ssl = ssl;
        this.limits = limits;
        this.limiter = limiter;
        this.router = router;
        this.rejections = rejections;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        connections.add(ch);
        addHandlers(ch.pipeline(), ch.alloc());
    }

    /** The connection's handlers; also what {@code HttpPipelineFuzzTest} drives on an EmbeddedChannel. */
    void addHandlers(ChannelPipeline p, ByteBufAllocator alloc) {
        if (ssl != null) {
            p.addLast(PipelineNames.TLS, ssl.newHandler(alloc));
        }
        int maxBody = limits.maxBodyBytes().toIntExact();
        p.addLast(PipelineNames.LIMITER, limiter);
        p.addLast(PipelineNames.TIMEOUTS, new ConnectionTimeouts(limits.readTimeout(), limits.idleTimeout(), rejections));
        p.addLast(PipelineNames.CODEC, new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_INITIAL_LINE_BYTES)
                .setMaxHeaderSize(limits.maxHeaderBytes().toIntExact())));
        p.addLast(PipelineNames.COMPRESSOR, new HttpContentCompressor(COMPRESS_ABOVE_BYTES,
                StandardCompressionOptions.gzip()));
        p.addLast(PipelineNames.AGGREGATOR, new BodyLimitAggregator(maxBody));
        p.addLast(PipelineNames.DECOMPRESSOR, new GzipRequestDecoder(maxBody));
        p.addLast(PipelineNames.HANDLER, new RequestHandler(router, rejections));
    }
}
