package io.mailbridge.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted SMTP server on loopback for what GreenMail cannot do: recipients containing "reject"
 * get {@code 550}, those containing "tempfail" get {@code 451}. Counts connections and accepted messages.
 */
public final class FakeSmtpServer implements AutoCloseable {

    private final ServerSocket socket;
    public final AtomicInteger connections = new AtomicInteger();
    public final List<String> accepted = new CopyOnWriteArrayList<>();

    public FakeSmtpServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "fake-smtp");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                connections.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "fake-smtp-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = s.getOutputStream()) {
            reply(out, "220 fake.localhost ESMTP");
            String line;
            while ((line = in.readLine()) != null) {
                String cmd = line.toUpperCase();
                if (cmd.startsWith("EHLO")) {
                    reply(out, "250-fake.localhost\r\n250 8BITMIME");
                } else if (cmd.startsWith("HELO") || cmd.startsWith("MAIL") || cmd.startsWith("RSET") || cmd.startsWith("NOOP")) {
                    reply(out, "250 2.0.0 Ok");
                } else if (cmd.startsWith("RCPT")) {
                    if (cmd.contains("REJECT")) {
                        reply(out, "550 5.1.1 " + line.substring(8).trim() + ": Recipient address rejected: User unknown");
                    } else if (cmd.contains("TEMPFAIL")) {
                        reply(out, "451 4.3.0 Mailbox temporarily unavailable, try again later");
                    } else {
                        reply(out, "250 2.1.5 Ok");
                    }
                } else if (cmd.startsWith("DATA")) {
                    reply(out, "354 End data with <CR><LF>.<CR><LF>");
                    StringBuilder msg = new StringBuilder();
                    while ((line = in.readLine()) != null && !line.equals(".")) {
                        msg.append(line).append('\n');
                    }
                    accepted.add(msg.toString());
                    reply(out, "250 2.0.0 Ok: queued as Q" + accepted.size());
                } else if (cmd.startsWith("QUIT")) {
                    reply(out, "221 2.0.0 Bye");
                    return;
                } else {
                    reply(out, "502 5.5.2 Error: command not recognized");
                }
            }
        } catch (IOException e) {
            // client went away
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
