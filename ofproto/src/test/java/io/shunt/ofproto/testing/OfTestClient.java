package io.shunt.ofproto.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.U32;

/**
 * A controller-side test peer on a real TCP socket: writes raw bytes or
 * Loxi messages and reads whole OpenFlow frames back, every read bounded by
 * a timeout.
 */
public final class OfTestClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private OFFactory factory = OFFactories.getFactory(OFVersion.OF_13);

    public OfTestClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Sends HELLO offering {@code versions}, reads the switch's HELLO, and speaks the highest offered. */
    public OFHello handshake(OFVersion... versions) throws IOException {
        long bitmap = 0;
        OFVersion max = versions[0];
        for (OFVersion v : versions) {
            bitmap |= 1L << v.getWireVersion();
            max = v.getWireVersion() > max.getWireVersion() ? v : max;
        }
        OFFactory f = OFFactories.getFactory(max);
        OFHello.Builder hello = f.buildHello().setXid(1);
        if (max.getWireVersion() >= OFVersion.OF_13.getWireVersion()) {
            hello.setElements(List.of(f.helloElemVersionbitmap(List.of(U32.of(bitmap)))));
        }
        send(hello.build());
        OFMessage theirs = read();
        if (!(theirs instanceof OFHello h)) {
            throw new AssertionError("expected the switch's HELLO first, got " + theirs);
        }
        factory = f;
        return h;
    }

    public OFFactory factory() {
        return factory;
    }

    public void send(OFMessage m) throws IOException {
        ByteBuf b = Unpooled.buffer();
        m.writeTo(b);
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        sendRaw(bytes);
    }

    public static byte[] encode(OFMessage m) {
        ByteBuf b = Unpooled.buffer();
        m.writeTo(b);
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        return bytes;
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one frame; fails on timeout or EOF. */
    public byte[] readFrame() throws IOException {
        byte[] header = in.readNBytes(8);
        if (header.length < 8) {
            throw new EOFException("connection closed by the switch");
        }
        int length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
        byte[] frame = new byte[length];
        System.arraycopy(header, 0, frame, 0, 8);
        int got = in.readNBytes(frame, 8, length - 8);
        if (got < length - 8) {
            throw new EOFException("truncated frame from the switch");
        }
        return frame;
    }

    public OFMessage read() throws IOException {
        byte[] frame = readFrame();
        try {
            return OFFactories.getGenericReader().readFrom(Unpooled.wrappedBuffer(frame));
        } catch (Exception e) {
            throw new IOException("switch sent an undecodable frame", e);
        }
    }

    /** Reads until a message of the given class arrives (skipping e.g. asynchronous messages). */
    public <T extends OFMessage> T readUntil(Class<T> type) throws IOException {
        for (int i = 0; i < 100_000; i++) {
            OFMessage m = read();
            if (type.isInstance(m)) {
                return type.cast(m);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " received");
    }

    /** True when the switch closed the connection within the socket timeout. */
    public boolean closedBySwitch() throws IOException {
        try {
            while (true) {
                readFrame();
            }
        } catch (EOFException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // connection reset
        }
    }

    public void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
