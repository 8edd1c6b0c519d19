package io.mailbridge.outbound;

import io.mailbridge.component.Causes;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Sorts SMTP failures: a 5xx reply (unknown recipient, message refused) is permanent — retrying
 * cannot help, so the request goes to the failed folder with the server's words. Everything else
 * (connection refused or reset, timeouts, 4xx) is transient and retried.
 */
public final class SmtpFailures implements Predicate {

    @Override
    public boolean matches(Exchange exchange) {
        return isPermanent(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
    }

    public static boolean isPermanent(Throwable error) {
        List<Integer> codes = replyCodes(error);
        return !codes.isEmpty() && codes.stream().anyMatch(c -> c >= 500) && codes.stream().noneMatch(c -> c >= 400 && c < 500);
    }

    /** The server's replies in the failure, for the .error file. */
    public static String describe(Throwable error) {
        List<String> replies = new ArrayList<>();
        for (Throwable t : Causes.chain(error)) {
            if (t instanceof SMTPAddressFailedException a) {
                replies.add(a.getAddress() + ": " + a.getMessage().trim());
            } else if (t instanceof SMTPSendFailedException s) {
                replies.add(s.getMessage().trim());
            }
        }
        return replies.isEmpty() ? String.valueOf(error == null ? "" : error.getMessage())
                : "SMTP server refused the message: " + String.join("; ", replies);
    }

    private static List<Integer> replyCodes(Throwable error) {
        List<Integer> codes = new ArrayList<>();
        for (Throwable t : Causes.chain(error)) {
            if (t instanceof SMTPAddressFailedException a) {
                codes.add(a.getReturnCode());
            } else if (t instanceof SMTPSendFailedException s) {
                codes.add(s.getReturnCode());
            }
        }
        return codes;
    }
}
