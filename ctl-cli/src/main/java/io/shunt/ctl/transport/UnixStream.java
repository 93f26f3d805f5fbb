package io.shunt.ctl.transport;

import io.shunt.ctl.CtlFailure;
import io.shunt.ctl.ExitCode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A client connection to a Unix stream socket of vswitchd in which every
 * read and write gives up after {@code timeout} without progress.
 *
 * <p>A Unix-domain {@link SocketChannel} has no SO_TIMEOUT (its socket
 * adaptor is unsupported), so the channel is non-blocking and each wait goes
 * through a {@link Selector} with the time left. A hung vswitchd thus makes
 * shunt-ctl fail with {@link ExitCode#UNREACHABLE} instead of hanging a script.
 */
public final class UnixStream implements AutoCloseable {

    private final Path path;
    private final String peer;
    private final long timeoutNanos;
    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;

    private UnixStream(Path path, String peer, Duration timeout, SocketChannel channel, Selector selector) throws IOException {
        this.path = path;
        this.peer = peer;
        this.timeoutNanos = timeout.toNanos();
        this.channel = channel;
        this.selector = selector;
        this.key = channel.register(selector, 0);
    }

    /**
     * Connects to {@code path}; {@code peer} names what is expected there
     * ("vswitchd", "bridge br0") in the error a user sees when it is not.
     */
    public static UnixStream connect(Path path, String peer, Duration timeout, String hint) throws CtlFailure {
        if (!Files.exists(path)) {
            throw new CtlFailure(ExitCode.UNREACHABLE, "cannot connect to " + peer + " at " + path
                    + ": no such socket (" + hint + ")");
        }
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            // A Unix-domain connect completes or fails at once: no need to bound it.
            channel.connect(UnixDomainSocketAddress.of(path));
            channel.configureBlocking(false);
            return new UnixStream(path, peer, timeout, channel, Selector.open());
        } catch (IOException e) {
            closeQuietly(channel);
            throw new CtlFailure(ExitCode.UNREACHABLE, "cannot connect to " + peer + " at " + path + ": "
                    + e.getMessage() + " (" + hint + ")", e);
        }
    }

    public Path path() {
        return path;
    }

    /** Writes all of {@code buffer}. */
    public void writeFully(ByteBuffer buffer) throws CtlFailure {
        try {
            while (buffer.hasRemaining()) {
                if (channel.write(buffer) == 0) {
                    await(SelectionKey.OP_WRITE, "sending to");
                }
            }
        } catch (IOException e) {
            throw lost(e);
        }
    }

    /**
     * Reads what is available into {@code buffer}, waiting for at least one
     * byte; returns -1 at end of stream.
     */
    public int read(ByteBuffer buffer) throws CtlFailure {
        try {
            while (true) {
                int n = channel.read(buffer);
                if (n != 0) {
                    return n;
                }
                await(SelectionKey.OP_READ, "waiting for an answer from");
            }
        } catch (IOException e) {
            throw lost(e);
        }
    }

    /** Fills {@code buffer} completely, or fails if the peer closes first. */
    public void readFully(ByteBuffer buffer, String what) throws CtlFailure {
        while (buffer.hasRemaining()) {
            if (read(buffer) < 0) {
                throw new CtlFailure(ExitCode.UNREACHABLE, peer + " at " + path + " closed the connection while "
                        + what);
            }
        }
    }

    private void await(int op, String doing) throws IOException, CtlFailure {
        long deadline = System.nanoTime() + timeoutNanos;
        key.interestOps(op);
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new CtlFailure(ExitCode.UNREACHABLE, "timed out after " + Duration.ofNanos(timeoutNanos).toMillis()
                            + " ms " + doing + " " + peer + " at " + path + " (--timeout)");
                }
                selector.selectedKeys().clear();
                if (selector.select(Math.max(1, left / 1_000_000)) > 0) {
                    return;
                }
            }
        } finally {
            key.interestOps(0);
        }
    }

    private CtlFailure lost(IOException e) {
        return new CtlFailure(ExitCode.UNREACHABLE, "connection to " + peer + " at " + path + " lost: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        closeQuietly(selector);
        closeQuietly(channel);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // Nothing useful to do: we are leaving anyway.
            }
        }
    }
}
