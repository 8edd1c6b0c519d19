package io.mailbridge.imap.operations;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;

import io.mailbridge.component.Causes;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FolderClosedException;
import jakarta.mail.StoreClosedException;

/**
 * Says in words why talking to an IMAP server failed, for a log line a person reads: "connection
 * refused", "certificate for 127.0.0.1 not trusted", "login refused: [AUTHENTICATIONFAILED] ...".
 * The texts come from the exception chain; none of them carries a password (Angus never puts one in
 * an exception message).
 */
public final class FailureDescriptions {

    private FailureDescriptions() {
    }

    /** True when the server refused the credentials: such failures back off longer. */
    public static boolean isLoginRefused(Throwable failure) {
        return Causes.find(failure, AuthenticationFailedException.class) != null;
    }

    public static Backoff.Kind kindOf(Throwable failure) {
        return isLoginRefused(failure) ? Backoff.Kind.LOGIN_REFUSED : Backoff.Kind.OTHER;
    }

    /** The cause in words; host is the server's name as configured. */
    public static String describe(Throwable failure, String host) {
        AuthenticationFailedException auth = Causes.find(failure, AuthenticationFailedException.class);
        if (auth != null) {
            String reply = auth.getMessage();
            String text = reply == null ? "" : reply.trim().replaceAll("\\.$", "");
            return "login refused" + (text.isEmpty() ? "" : ": " + text);
        }
        if (Causes.find(failure, ConnectException.class) != null) {
            return "connection refused";
        }
        if (Causes.find(failure, UnknownHostException.class) != null) {
            return "unknown host " + host;
        }
        if (Causes.find(failure, NoRouteToHostException.class) != null) {
            return "no route to host " + host;
        }
        if (Causes.find(failure, SocketTimeoutException.class) != null) {
            return "no answer from the server in time (timeout)";
        }
        String tls = tlsProblem(failure, host);
        if (tls != null) {
            return tls;
        }
        if (Causes.find(failure, FolderClosedException.class) != null || Causes.find(failure, StoreClosedException.class) != null) {
            return "connection closed by the server";
        }
        OutOfMemoryError memory = Causes.find(failure, OutOfMemoryError.class);
        if (memory != null) {
            // one message that does not fit is dead-lettered on its second try (FolderSync); what is left is load
            return "out of memory (" + memory.getMessage() + "): the messages held at once did not fit the heap; a message"
                    + " that fails so 3 times in a row is dead-lettered, else give the JVM more heap or lower"
                    + " camel.component.mailbridge-imap.max-prefetch-bytes (mail.imap.fetch-size does not help one large message)";
        }
        return innermostMessage(failure);
    }

    private static String tlsProblem(Throwable failure, String host) {
        if (Causes.find(failure, CertPathValidatorException.class) != null
                || contains(failure, "PKIX path") || contains(failure, "unable to find valid certification path")) {
            return "certificate for " + host + " not trusted";
        }
        if (Causes.find(failure, CertificateException.class) != null || contains(failure, "Server is not trusted")) {
            String why = innermostMessage(Causes.find(failure, CertificateException.class) != null
                    ? Causes.find(failure, CertificateException.class) : failure);
            return "certificate for " + host + " not accepted: " + why;
        }
        if (Causes.find(failure, SSLHandshakeException.class) != null || Causes.find(failure, SSLException.class) != null) {
            return "TLS handshake with " + host + " failed: " + innermostMessage(failure);
        }
        return null;
    }

    /** The deepest message in the chain, or the class name when there is none. */
    public static String innermostMessage(Throwable failure) {
        return Causes.rootMessage(failure);
    }

    private static boolean contains(Throwable failure, String text) {
        for (Throwable t : Causes.chain(failure)) {
            if (t.getMessage() != null && t.getMessage().contains(text)) {
                return true;
            }
        }
        return false;
    }
}
