package io.linkprobe.common.testing.fuzz;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * An {@link io.netty.channel.embedded.EmbeddedChannel} that looks like an accepted TCP connection to
 * the handlers that care: an {@link InetSocketAddress} peer and half-closure ({@link DuplexChannel}),
 * so that a server pipeline can be driven byte by byte in one thread, with timers run on demand.
 * Its buffers come from a {@link TrackingAllocator}.
 */
public class EmbeddedTcpChannel extends io.netty.channel.embedded.EmbeddedChannel implements DuplexChannel {
    private final InetSocketAddress peer;
    private boolean inputShutdown;
    private boolean outputShutdown;

    /** Registers the channel (handlers added, channelActive fired) after setting the allocator. */
    public EmbeddedTcpChannel(TrackingAllocator alloc, InetSocketAddress peer, ChannelHandler... handlers) {
        super(false, false, handlers);
        this.peer = peer;
        config().setAllocator(alloc);
        try {
            register();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return peer;
    }

    @Override
    protected SocketAddress localAddress0() {
        return new InetSocketAddress("127.0.0.1", 9);
    }

    @Override
    public boolean isInputShutdown() {
        return inputShutdown;
    }

    @Override
    public ChannelFuture shutdownInput() {
        return shutdownInput(newPromise());
    }

    @Override
    public ChannelFuture shutdownInput(ChannelPromise promise) {
        inputShutdown = true;
        return promise.setSuccess();
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShutdown;
    }

    @Override
    public ChannelFuture shutdownOutput() {
        return shutdownOutput(newPromise());
    }

    @Override
    public ChannelFuture shutdownOutput(ChannelPromise promise) {
        outputShutdown = true;
        return promise.setSuccess();
    }

    @Override
    public boolean isShutdown() {
        return inputShutdown && outputShutdown;
    }

    @Override
    public ChannelFuture shutdown() {
        return shutdown(newPromise());
    }

    @Override
    public ChannelFuture shutdown(ChannelPromise promise) {
        inputShutdown = true;
        outputShutdown = true;
        return promise.setSuccess();
    }
}
