/*
 * JNI entry points of io.linkprobe.common.net.NativeUdp: thin wrappers over udp_core.c. Buffers are
 * direct java.nio.ByteBuffers (data and the 56-byte struct lp_meta), so a datagram is read and
 * written without a copy or an allocation; errors come back as -errno for Java to turn into
 * IOExceptions with strerror's text.
 */
#define _GNU_SOURCE
#include <jni.h>
#include <errno.h>
#include <string.h>

#include "udp_core.h"

#define JNI_NAME(name) Java_io_linkprobe_common_net_NativeUdp_##name

static int copy_addr(JNIEnv *env, jbyteArray addr, uint8_t out[16]) {
    if (addr == NULL) {
        return 0;
    }
    jsize len = (*env)->GetArrayLength(env, addr);
    if (len != 4 && len != 16) {
        return -EINVAL;
    }
    (*env)->GetByteArrayRegion(env, addr, 0, len, (jbyte *) out);
    return len;
}

static void *address_of(JNIEnv *env, jobject buffer, jint offset, jint len) {
    if (buffer == NULL) {
        return NULL;
    }
    char *base = (*env)->GetDirectBufferAddress(env, buffer);
    jlong capacity = (*env)->GetDirectBufferCapacity(env, buffer);
    if (base == NULL || offset < 0 || len < 0 || (jlong) offset + len > capacity) {
        return NULL;
    }
    return base + offset;
}

JNIEXPORT jint JNICALL JNI_NAME(metaSize0)(JNIEnv *env, jclass cls) {
    return LP_META_SIZE;
}

JNIEXPORT jint JNICALL JNI_NAME(open0)(JNIEnv *env, jclass cls, jboolean ipv6) {
    return lp_open(ipv6);
}

JNIEXPORT jint JNICALL JNI_NAME(bind0)(JNIEnv *env, jclass cls, jint fd, jboolean ipv6, jbyteArray addr, jint port) {
    uint8_t a[16] = {0};
    int len = copy_addr(env, addr, a);
    return len < 0 ? len : lp_bind(fd, ipv6, a, len, port);
}

JNIEXPORT jint JNICALL JNI_NAME(connect0)(JNIEnv *env, jclass cls, jint fd, jboolean ipv6, jbyteArray addr, jint port) {
    uint8_t a[16] = {0};
    int len = copy_addr(env, addr, a);
    return len < 0 ? len : lp_connect(fd, ipv6, a, len, port);
}

JNIEXPORT jint JNICALL JNI_NAME(localPort0)(JNIEnv *env, jclass cls, jint fd) {
    return lp_local_port(fd);
}

JNIEXPORT jint JNICALL JNI_NAME(setTos0)(JNIEnv *env, jclass cls, jint fd, jboolean ipv6, jint tos) {
    return lp_set_tos(fd, ipv6, tos);
}

JNIEXPORT jint JNICALL JNI_NAME(recv0)(JNIEnv *env, jclass cls, jint fd, jobject buf, jint offset, jint cap, jobject meta) {
    void *data = address_of(env, buf, offset, cap);
    struct lp_meta *m = address_of(env, meta, 0, LP_META_SIZE);
    if (data == NULL || m == NULL) {
        return -EINVAL;
    }
    return lp_recv(fd, data, cap, m);
}

JNIEXPORT jint JNICALL JNI_NAME(send0)(JNIEnv *env, jclass cls, jint fd, jboolean ipv6, jobject buf, jint offset, jint len,
        jobject to) {
    const void *data = address_of(env, buf, offset, len);
    const struct lp_meta *peer = NULL;
    if (data == NULL) {
        return -EINVAL;
    }
    if (to != NULL && (peer = address_of(env, to, 0, LP_META_SIZE)) == NULL) {
        return -EINVAL;
    }
    return lp_send(fd, ipv6, data, len, peer);
}

JNIEXPORT jint JNICALL JNI_NAME(enableTxTimestamps0)(JNIEnv *env, jclass cls, jint fd) {
    return lp_enable_tx_timestamps(fd);
}

JNIEXPORT jint JNICALL JNI_NAME(recvTxTimestamp0)(JNIEnv *env, jclass cls, jint fd, jobject meta) {
    struct lp_meta *m = address_of(env, meta, 0, LP_META_SIZE);
    return m == NULL ? -EINVAL : lp_recv_tx_timestamp(fd, m);
}

JNIEXPORT jint JNICALL JNI_NAME(close0)(JNIEnv *env, jclass cls, jint fd) {
    return lp_close(fd);
}

JNIEXPORT jstring JNICALL JNI_NAME(strerror0)(JNIEnv *env, jclass cls, jint err) {
    char text[256];
    const char *s = strerror_r(err, text, sizeof(text)); /* GNU strerror_r returns the string */
    return (*env)->NewStringUTF(env, s);
}
