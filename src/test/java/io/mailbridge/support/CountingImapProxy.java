package io.mailbridge.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay in front of an IMAP server that records the command of every tagged line a
 * client sends ({@code NOOP}, {@code UID}, {@code SELECT}...): what a client really costs the server
 * per poll, seen from the wire.
 */
public final class CountingImapProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int backendPort;
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    public CountingImapProxy(int backendPort) throws IOException {
        this.backendPort = backendPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "imap-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** The commands clients sent so far, in order, upper case. */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), backendPort);
                sockets.add(client);
                sockets.add(server);
                pump(client.getInputStream(), server.getOutputStream(), true);
                pump(server.getInputStream(), client.getOutputStream(), false);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(InputStream in, OutputStream out, boolean fromClient) {
        Thread t = new Thread(() -> {
            StringBuilder line = new StringBuilder();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    if (fromClient) {
                        record(line, buffer, n);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed: the other pump ends too
            } finally {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "imap-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void record(StringBuilder line, byte[] buffer, int n) {
        for (char c : new String(buffer, 0, n, StandardCharsets.ISO_8859_1).toCharArray()) {
            if (c == '\n') {
                String[] words = line.toString().trim().split(" ");
                if (words.length > 1 && !words[0].equals("+") && !words[0].isEmpty()) {
                    commands.add(words[1].toUpperCase(Locale.ROOT)); // "A12 NOOP" -> NOOP
                }
                line.setLength(0);
            } else if (line.length() < 200) {
                line.append(c);
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
