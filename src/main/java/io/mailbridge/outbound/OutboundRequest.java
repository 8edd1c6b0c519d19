package io.mailbridge.outbound;

import java.util.List;

/**
 * A validated request to send one text/plain message. Addresses are in RFC 5322 form with
 * non-ASCII display names RFC 2047 encoded.
 */
public record OutboundRequest(List<String> to, List<String> cc, List<String> bcc, String from, List<String> replyTo,
        String subject, String text) {
}
