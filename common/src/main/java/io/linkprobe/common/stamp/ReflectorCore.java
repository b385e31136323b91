package io.linkprobe.common.stamp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the stateful Session-Reflector does with one datagram, whatever socket it came from (Netty's
 * {@link ReflectorHandler}, or the native socket with kernel timestamps): check it, give it its
 * session's next sequence number, and turn it into the reply, in place where it fits.
 *
 * <p>Accepted: {@link StampMode#minRequestSize()} to {@link StampPacket#MAX_SIZE} bytes with a valid
 * HMAC when authenticated. An unauthenticated request shorter than the 44-byte base (a TWAMP-Light
 * sender's 14 bytes) is answered with the base packet (RFC 8762 §4.6), so such a reply is larger than
 * its request by at most 30 bytes; every other reply has the request's length.
 *
 * <p>Confined to one event loop. Counters have that single writer and are volatile so any thread
 * reads them whole.
 */
final class ReflectorCore {
    private static final Logger log = LoggerFactory.getLogger(ReflectorCore.class);

    private final StampMode mode;
    private final int errorEstimate;
    private final StampAuth.Signer signer;
    private final ReflectorSessions sessions;

    private volatile long reflected;
    private volatile long malformed;
    private volatile long dropped;
    private volatile int activeSessions;
    private volatile long evicted;

    ReflectorCore(ReflectorOptions opts) {
        this.mode = opts.mode();
        this.errorEstimate = opts.clock().encode();
        this.signer = opts.auth() == null ? null : opts.auth().newSigner();
        this.sessions = new ReflectorSessions(opts.maxSessions(), opts.sessionIdleTimeout().toNanos());
    }

    /**
     * Turns {@code request} into its reply, or returns null when it is not a request this reflector
     * answers (counted). The reply is {@code request} itself, changed in place, unless a short
     * request's buffer cannot grow to the base packet: then it is a new buffer from {@code alloc},
     * and the caller still owns (and releases) the request.
     *
     * @param receiveTimestamp T2, NTP format: the kernel's receive time where known
     * @param ttl the request's IP TTL / hop limit, 0 when unknown
     */
    ByteBuf reflect(ByteBuf request, InetSocketAddress sender, long receiveTimestamp, int ttl, long nowNanos,
            ByteBufAllocator alloc) {
        int length = request.readableBytes();
        // A datagram longer than the receive buffer arrives truncated to MAX_SIZE + 1: refuse it too.
        if (length < mode.minRequestSize() || length > StampPacket.MAX_SIZE
                || (signer != null && !signer.verify(request, request.readerIndex()))) {
            malformed++;
            if (log.isDebugEnabled()) {
                log.debug("dropped malformed STAMP packet of {} bytes from {}", length, sender);
            }
            return null;
        }
        ByteBuf reply = request;
        if (length < mode.baseSize && request.maxCapacity() - request.readerIndex() < mode.baseSize) {
            reply = alloc.buffer(mode.baseSize);
            reply.writeBytes(request, request.readerIndex(), length);
        }
        int ssid = length >= mode.ssid + 2 ? StampPacket.ssid(mode, reply) : 0;
        long seq = sessions.nextSequence(sender, ssid, reply.getUnsignedInt(reply.readerIndex() + mode.seq), nowNanos);
        // T3 as late as the packet allows: it is signed, so it cannot be written after the HMAC.
        StampPacket.reflectInPlace(reply, mode, seq, receiveTimestamp, NtpTimestamp.now(), errorEstimate, ttl);
        if (signer != null) {
            signer.sign(reply, reply.readerIndex());
        }
        reflected++;
        publish();
        return reply;
    }

    /** A well-formed request not answered: the socket could not take the reply. */
    void dropped() {
        dropped++;
    }

    int expireIdle(long nowNanos) {
        int removed = sessions.expireIdle(nowNanos);
        activeSessions = sessions.size();
        return removed;
    }

    /** Published for readers on other threads; written only when they change, not per packet. */
    private void publish() {
        int size = sessions.size();
        if (size != activeSessions) {
            activeSessions = size;
        }
        long evictedNow = sessions.evicted();
        if (evictedNow != evicted) {
            evicted = evictedNow;
        }
    }

    long reflected() {
        return reflected;
    }

    long malformed() {
        return malformed;
    }

    long droppedTotal() {
        return dropped;
    }

    int activeSessions() {
        return activeSessions;
    }

    long evicted() {
        return evicted;
    }

    long sessionRestarts() {
        return sessions.restarts();
    }
}
