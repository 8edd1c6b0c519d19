package io.mailbridge.outbound;

import java.util.List;

/**
 * A validated request to send one message. Addresses are in RFC 5322 form with non-ASCII display
 * names RFC 2047 encoded; {@code html} makes it multipart/alternative; {@code id} (optional) names
 * the request so a re-submission is recognised.
 */
public record OutboundRequest(List<String> to, List<String> cc, List<String> bcc, String from, List<String> replyTo,
        String subject, String text, String html, String inReplyTo, List<String> references, String id) {
}
