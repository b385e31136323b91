package io.linkprobe.common.throughput.protocol;

import io.linkprobe.common.throughput.protocol.ControlMessage.Hello;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs and checks a HELLO: HMAC-SHA-256 over its signed bytes (see {@link ControlCodec}). */
public final class HelloAuth {
    static final int MAC_LENGTH = 32;

    private HelloAuth() {}

    public static Hello sign(Hello hello, byte[] key) {
        return hello.withHmac(mac(hello, key));
    }

    /** Constant-time comparison, so response timing does not leak how much of a MAC was right. */
    public static boolean verify(Hello hello, byte[] key) {
        byte[] given = hello.hmac();
        return given.length == MAC_LENGTH && MessageDigest.isEqual(given, mac(hello, key));
    }

    private static byte[] mac(Hello hello, byte[] key) {
        ByteBuf signed = Unpooled.buffer(64);
        try {
            ControlCodec.writeHelloSigned(hello, signed);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(ByteBufUtil.getBytes(signed));
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java runtime", e);
        } finally {
            signed.release();
        }
    }
}
