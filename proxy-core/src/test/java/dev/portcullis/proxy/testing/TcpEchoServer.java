package dev.portcullis.proxy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plain TCP server on a loopback port 0 that echoes every byte back, as an SSH or Redis server
 * behind a TCP route stands in for; it counts the connections it accepted and the bytes it received,
 * so a test can show that nothing reached it. One made with {@link #hangingUp()} closes each connection
 * itself after echoing its first read, as a server that ends the session does.
 */
public final class TcpEchoServer implements AutoCloseable {
    private final ServerSocket listener;
    private final java.util.concurrent.Semaphore peerCloses = new java.util.concurrent.Semaphore(0);
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong received = new AtomicLong();
    private final AtomicInteger closedByPeer = new AtomicInteger();

    private final boolean hangUp;

    public TcpEchoServer() throws IOException {
        this(false);
    }

    /** A server that closes each connection after echoing its first read. */
    public static TcpEchoServer hangingUp() throws IOException {
        return new TcpEchoServer(true);
    }

    private TcpEchoServer(boolean hangUp) throws IOException {
        this.hangUp = hangUp;
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptAll, "tcp-echo-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /** Bytes received so far, over all connections. */
    public long received() {
        return received.get();
    }

    /** Connections whose peer (the proxy) closed its side so far. */
    public int closedByPeer() {
        return closedByPeer.get();
    }

    /** Waits (at most 5 s) until the proxy has closed one more connection's side; false if it did not. */
    public boolean awaitClosedByPeer() throws InterruptedException {
        return peerCloses.tryAcquire(5, java.util.concurrent.TimeUnit.SECONDS);
    }

    private void acceptAll() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                accepted.incrementAndGet();
                Thread echo = new Thread(() -> echo(socket), "tcp-echo");
                echo.setDaemon(true);
                echo.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void echo(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received.addAndGet(n);
                out.write(buffer, 0, n);
                out.flush();
                if (hangUp) {
                    return;
                }
            }
            closedByPeer.incrementAndGet();
            peerCloses.release();
        } catch (IOException e) {
            // the connection went away
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
