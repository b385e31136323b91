package io.linkprobe.common.throughput.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A blocking, hand-driven client that speaks the wire format byte by byte, for tests that must do
 * what {@link io.linkprobe.common.throughput.client.ThroughputClient} never would (ignore grants,
 * never stop, replay, forge).
 */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
    }

    public static RawClient control(int port) throws IOException {
        RawClient c = new RawClient(connect(port));
        c.socket.getOutputStream().write(new byte[] {'L', 'P', 'T', 'C'});
        return c;
    }

    public static Socket data(int port, TestId id, int stream) throws IOException {
        Socket s = connect(port);
        ByteBuf header = new DataHeader(ControlMessage.VERSION, id, stream).encodeWithPreamble();
        s.getOutputStream().write(ByteBufUtil.getBytes(header));
        header.release();
        return s;
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(15_000);
        return s;
    }

    public void send(ControlMessage msg) throws IOException {
        ByteBuf body = Unpooled.buffer();
        ControlCodec.encode(msg, body);
        OutputStream out = socket.getOutputStream();
        out.write(new byte[] {(byte) (body.readableBytes() >> 8), (byte) body.readableBytes()});
        out.write(ByteBufUtil.getBytes(body));
        body.release();
    }

    public ControlMessage receive() throws IOException {
        byte[] body = new byte[in.readUnsignedShort()];
        in.readFully(body);
        return ControlCodec.decode(Unpooled.wrappedBuffer(body));
    }

    /** True if the server has closed the connection (after any messages still unread). */
    public boolean closedByServer() throws IOException {
        return in.read() == -1;
    }

    /** Reads a data connection to its end; the byte count. */
    public static long drain(Socket data) throws IOException {
        InputStream in = data.getInputStream();
        byte[] buf = new byte[256 * 1024];
        long total = 0;
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            total += n;
        }
        return total;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
