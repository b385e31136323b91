package io.linkprobe.common.testing;

import io.linkprobe.common.net.Transports;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Event loops shared by a test class: started before its first test, shut down after its last.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final EventLoops loops = new EventLoops(2, "stamp-test");
 * ... StampReflector.start(loops.group(), ...)
 * </pre>
 */
public final class EventLoops implements BeforeAllCallback, AfterAllCallback {
    private final int threads;
    private final String name;
    private EventLoopGroup group;

    /** @param threads as {@link Transports#group}: epoll where available, else NIO */
    public EventLoops(int threads, String name) {
        this.threads = threads;
        this.name = name;
    }

    public EventLoopGroup group() {
        if (group == null) {
            throw new IllegalStateException("register EventLoops as a static @RegisterExtension field");
        }
        return group;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        group = Transports.group(threads, name);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        group = null;
    }
}
