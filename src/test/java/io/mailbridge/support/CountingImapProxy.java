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
 * client sends ({@code NOOP}, {@code UID FETCH}, {@code UID SEARCH}, {@code SELECT}...): what a client
 * really costs the server per poll, seen from the wire.
 */
public final class CountingImapProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int backendPort;
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile String dropOn;
    private volatile boolean muteIdle;

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

    /**
     * The next time a client sends a command line starting with {@code commandLine} (after the tag, e.g.
     * {@code "UID STORE"}), its connection is cut before the command reaches the server, as a server
     * process that dies would cut it. Once.
     */
    public void dropConnectionOn(String commandLine) {
        dropOn = commandLine.toUpperCase(Locale.ROOT);
    }

    /**
     * From now on, a connection waiting in IDLE hears nothing of new mail: the server's untagged EXISTS and
     * RECENT lines are dropped while it idles, as a server that checks for new mail only now and then behaves.
     */
    public void muteIdleAnnouncements() {
        muteIdle = true;
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
                java.util.concurrent.atomic.AtomicBoolean idling = new java.util.concurrent.atomic.AtomicBoolean();
                pump(client.getInputStream(), server.getOutputStream(), List.of(client, server), idling);
                pump(server.getInputStream(), client.getOutputStream(), null, idling);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** @param connection the client and server sockets when {@code in} is the client's side, else null */
    private void pump(InputStream in, OutputStream out, List<Socket> connection, java.util.concurrent.atomic.AtomicBoolean idling) {
        Thread t = new Thread(() -> {
            StringBuilder line = new StringBuilder();
            StringBuilder pending = new StringBuilder();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    if (connection == null && muteIdle && (idling.get() || pending.length() > 0)) {
                        forwardWithoutAnnouncements(pending, buffer, n, out);
                        continue;
                    }
                    if (connection != null && record(line, buffer, n, idling)) {
                        for (Socket s : connection) {
                            s.close();
                        }
                        return;
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

    /** Server to client, line by line: whole lines go on, except EXISTS and RECENT announcements. */
    private static void forwardWithoutAnnouncements(StringBuilder pending, byte[] buffer, int n, OutputStream out)
            throws IOException {
        pending.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        for (int end; (end = pending.indexOf("\n")) >= 0; ) {
            String line = pending.substring(0, end + 1);
            pending.delete(0, end + 1);
            if (!line.matches("\\* \\d+ (EXISTS|RECENT)\\r?\\n")) {
                out.write(line.getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        out.flush();
    }

    /** Records the commands in these bytes; true when one of them is the command to cut the connection on. */
    private boolean record(StringBuilder line, byte[] buffer, int n, java.util.concurrent.atomic.AtomicBoolean idling) {
        for (char c : new String(buffer, 0, n, StandardCharsets.ISO_8859_1).toCharArray()) {
            if (c == '\n') {
                String text = line.toString().trim();
                line.setLength(0);
                String[] words = text.split(" ");
                if (text.equalsIgnoreCase("DONE")) {
                    idling.set(false);
                }
                if (words.length > 1 && words[1].equalsIgnoreCase("IDLE")) {
                    idling.set(true);
                }
                if (words.length > 1 && !words[0].equals("+") && !words[0].isEmpty()) {
                    String command = words[1].toUpperCase(Locale.ROOT); // "A12 NOOP" -> NOOP
                    if (command.equals("UID") && words.length > 2) {
                        command += " " + words[2].toUpperCase(Locale.ROOT); // "A13 UID FETCH * (UID)" -> UID FETCH
                    }
                    commands.add(command);
                    String drop = dropOn;
                    if (drop != null && text.substring(words[0].length() + 1).toUpperCase(Locale.ROOT).startsWith(drop)) {
                        dropOn = null;
                        return true;
                    }
                }
            } else if (line.length() < 200) {
                line.append(c);
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
