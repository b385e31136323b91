package io.linkprobe.common.net;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.channels.spi.SelectorProvider;

/**
 * Picks the Netty transport once: native epoll on Linux (x86_64, aarch64) for TCP_INFO and lower
 * overhead, NIO elsewhere. Set {@code -Dlinkprobe.transport=nio} to force NIO.
 */
public final class Transports {
    private static final boolean EPOLL =
            !"nio".equalsIgnoreCase(System.getProperty("linkprobe.transport")) && Epoll.isAvailable();

    private Transports() {}

    public static boolean epoll() {
        return EPOLL;
    }

    public static String name() {
        return EPOLL ? "epoll" : "nio";
    }

    /** Event loops that sleep when idle, except for the short {@link SpinWindow}s a sender asks for. */
    public static EventLoopGroup group(int threads, String name) {
        return group(threads, name, false);
    }

    /**
     * Event loops that never sleep: each burns a CPU core, and no wake-up latency is ever added to
     * what they timestamp. For a dedicated responder only ({@code responder --busy-poll}).
     */
    public static EventLoopGroup busyPollGroup(int threads, String name) {
        return group(threads, name, true);
    }

    private static EventLoopGroup group(int threads, String name, boolean alwaysSpin) {
        SelectStrategyFactory strategies = () -> new SpinWindow(alwaysSpin);
        IoHandlerFactory factory = EPOLL
                ? EpollIoHandler.newFactory(0, strategies)
                : NioIoHandler.newFactory(SelectorProvider.provider(), strategies);
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    public static Class<? extends SocketChannel> socket() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public static Class<? extends ServerSocketChannel> serverSocket() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public static Class<? extends DatagramChannel> datagram() {
        return EPOLL ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    /** The datagram channel class that runs on {@code loop}: epoll on an epoll loop, else NIO. */
    public static Class<? extends DatagramChannel> datagramFor(EventLoop loop) {
        return loop instanceof IoEventLoop io && io.isIoType(EpollIoHandler.class)
                ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }
}
