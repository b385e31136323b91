package io.linkprobe.collector.http;

import io.linkprobe.collector.config.CollectorConfig;
import io.linkprobe.collector.config.WebConfig;
import io.linkprobe.common.net.BindFailure;
import io.linkprobe.common.net.Transports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The collector's HTTP/1.1 listener: binds, serves, and closes every connection on shutdown. */
public final class HttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    private final EventLoopGroup boss;
    private final Channel listener;
    private final ChannelGroup connections;
    private final ConnectionLimiter limiter;
    private final boolean tls;

    private HttpServer(EventLoopGroup boss, Channel listener, ChannelGroup connections,
            ConnectionLimiter limiter, boolean tls) {
        this.boss = boss;
        this.connections = connections;
        this.listener = listener;
        this.limiter = limiter;
        this.tls = tls;
    }

    /**
     * Binds {@code http.bind:http.port}.
     *
     * @throws HttpStartException with one sentence naming the problem and the fix
     */
    public static HttpServer start(CollectorConfig config, EventLoopGroup workers, Router router,
            RejectionCounter rejections) throws HttpStartException {
        return start(config, null, workers, router, rejections);
    }

    /** @param web TLS from the web config file (exporter-toolkit's tls_server_config), or null */
    public static HttpServer start(CollectorConfig config, WebConfig.TlsServerConfig web, EventLoopGroup workers,
            Router router, RejectionCounter rejections) throws HttpStartException {
        CollectorConfig.Http http = config.http();
        SslContext ssl = web != null ? sslContext(web) : http.tls() == null ? null : sslContext(http.tls());
        ConnectionLimiter limiter = new ConnectionLimiter(config.limits().maxConnections(), rejections);
        EventLoopGroup boss = Transports.group(1, "collector-accept");
        ChannelGroup connections = new DefaultChannelGroup("http", GlobalEventExecutor.INSTANCE);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(Transports.serverSocket())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new HttpChannelInitializer(ssl, config.limits(), limiter, router, rejections, connections));
        try {
            Channel listener = bootstrap.bind(http.bind(), http.port()).sync().channel();
            return new HttpServer(boss, listener, connections, limiter, ssl != null);
        } catch (Exception e) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            InetSocketAddress at = new InetSocketAddress(http.bind(), http.port());
            throw new HttpStartException(BindFailure.explain("tcp", at, e, "http.port"), e, BindFailure.isConfigError(at, e));
        }
    }

    private static SslContext sslContext(WebConfig.TlsServerConfig tls) throws HttpStartException {
        try {
            SslContextBuilder b = SslContextBuilder.forServer(tls.certFile().toFile(), tls.keyFile().toFile());
            if (tls.verifiesClients()) {
                b.trustManager(tls.clientCaFile().toFile())
                        .clientAuth(tls.requiresClientCert() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
            }
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new HttpStartException("cannot use the TLS files of the web config (" + tls.certFile() + ", "
                    + tls.keyFile() + (tls.clientCaFile() != null ? ", " + tls.clientCaFile() : "") + "): " + e.getMessage()
                    + "; give PEM certificates and a PEM PKCS#8 key", e);
        }
    }

    private static SslContext sslContext(CollectorConfig.Tls tls) throws HttpStartException {
        try {
            return SslContextBuilder.forServer(tls.certFile().toFile(), tls.keyFile().toFile()).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new HttpStartException("cannot use the TLS certificate " + tls.certFile() + " and key "
                    + tls.keyFile() + " (" + e.getMessage() + "); give a PEM certificate chain and a PEM PKCS#8 key", e);
        }
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    public boolean tls() {
        return tls;
    }

    public int openConnections() {
        return limiter.openConnections();
    }

    /** Stops accepting, then closes open connections; replies in progress are cut. */
    @Override
    public void close() {
        listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        log.debug("HTTP listener closed");
    }

    /** The listener could not start; the message is one sentence for the operator. */
    public static final class HttpStartException extends Exception {
        private final boolean configError;

        public HttpStartException(String message, Throwable cause) {
            this(message, cause, true);
        }

        public HttpStartException(String message, Throwable cause, boolean configError) {
            super(message, cause);
            this.configError = configError;
        }

        /** The config must change (exit 2), rather than something of the moment (exit 1). */
        public boolean configError() {
            return configError;
        }
    }
}
