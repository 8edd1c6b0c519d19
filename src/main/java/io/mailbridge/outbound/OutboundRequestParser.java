package io.mailbridge.outbound;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * Reads an outbound request, JSON or text with header lines, and validates it. Every rejection
 * says why in words a user can act on.
 *
 * <pre>
 * {"to": ["a@example.com"], "cc": [], "bcc": [], "from": "me@example.com", "subject": "Hi", "text": "Body"}
 *
 * To: a@example.com, B &lt;b@example.com&gt;
 * Subject: Hi
 *
 * Body
 * </pre>
 */
public class OutboundRequestParser {

    /** RFC 5322 line limit; a longer subject cannot be a single unfolded line anyway. */
    static final int MAX_SUBJECT_CHARS = 998;
    private static final List<String> TEXT_HEADERS = List.of("to", "cc", "bcc", "from", "reply-to", "subject",
            "in-reply-to", "references", "id");
    private static final List<String> JSON_FIELDS = List.of("to", "cc", "bcc", "from", "replyTo", "subject", "text",
            "html", "inReplyTo", "references", "id");

    private final ObjectMapper json = new ObjectMapper();
    private final String defaultFrom;
    private final long maxBytes;

    public OutboundRequestParser(String defaultFrom, long maxBytes) {
        this.defaultFrom = defaultFrom;
        this.maxBytes = maxBytes;
    }

    public OutboundRequest parse(byte[] request) throws InvalidRequestException {
        if (request == null || request.length == 0) {
            throw new InvalidRequestException("empty request");
        }
        if (maxBytes > 0 && request.length > maxBytes) {
            throw new InvalidRequestException("request is " + request.length + " bytes, above mail.outbox.max-bytes=" + maxBytes);
        }
        String body = new String(request, StandardCharsets.UTF_8);
        if (body.startsWith("\uFEFF")) {
            body = body.substring(1);
        }
        String start = body.stripLeading();
        return start.startsWith("{") || start.startsWith("[") ? parseJson(body) : parseText(body);
    }

    private OutboundRequest parseJson(String body) throws InvalidRequestException {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("not valid JSON: " + e.getOriginalMessage() + " (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (!root.isObject()) {
            throw new InvalidRequestException("JSON request must be an object");
        }
        for (var it = root.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!JSON_FIELDS.contains(name)) {
                throw new InvalidRequestException("unknown field '" + name + "' (known: " + String.join(", ", JSON_FIELDS) + ")");
            }
        }
        return build(stringList(root, "to"), stringList(root, "cc"), stringList(root, "bcc"),
                stringField(root, "from"), stringList(root, "replyTo"), stringField(root, "subject"),
                stringField(root, "text"), stringField(root, "html"), stringField(root, "inReplyTo"),
                stringList(root, "references"), stringField(root, "id"));
    }

    private static List<String> stringList(JsonNode root, String name) throws InvalidRequestException {
        JsonNode node = root.get(name);
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (node.isTextual()) {
            out.add(node.asText());
        } else if (node.isArray()) {
            for (JsonNode n : node) {
                if (!n.isTextual()) {
                    throw new InvalidRequestException("'" + name + "' must be a list of strings");
                }
                out.add(n.asText());
            }
        } else {
            throw new InvalidRequestException("'" + name + "' must be a string or a list of strings");
        }
        return out;
    }

    private static String stringField(JsonNode root, String name) throws InvalidRequestException {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidRequestException("'" + name + "' must be a string");
        }
        return node.asText();
    }

    private OutboundRequest parseText(String body) throws InvalidRequestException {
        String normalized = body.replace("\r\n", "\n");
        int blank = normalized.indexOf("\n\n");
        if (blank < 0) {
            throw new InvalidRequestException("text request needs header lines (To:, Subject:), a blank line, then the body");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : normalized.substring(0, blank).split("\n")) {
            lineNo++;
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new InvalidRequestException("line " + lineNo + " is not a header line 'Name: value': '" + line + "'");
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            if (!TEXT_HEADERS.contains(name)) {
                throw new InvalidRequestException("line " + lineNo + ": unknown header '" + line.substring(0, colon).trim()
                        + "' (known: To, Cc, Bcc, From, Reply-To, Subject, In-Reply-To, References, Id)");
            }
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(line.substring(colon + 1).trim());
        }
        return build(splitAddresses(headers.get("to")), splitAddresses(headers.get("cc")), splitAddresses(headers.get("bcc")),
                single(headers, "from"), splitAddresses(headers.get("reply-to")), single(headers, "subject"),
                normalized.substring(blank + 2), null, single(headers, "in-reply-to"),
                headers.getOrDefault("references", List.of()).stream().flatMap(v -> List.of(v.split("\\s+")).stream())
                        .filter(v -> !v.isEmpty()).toList(), single(headers, "id"));
    }

    private static String single(Map<String, List<String>> headers, String name) throws InvalidRequestException {
        List<String> values = headers.get(name);
        if (values == null) {
            return null;
        }
        if (values.size() > 1) {
            throw new InvalidRequestException("header '" + name + "' appears " + values.size() + " times");
        }
        return values.get(0);
    }

    /** Splits on commas outside quotes and angle brackets, so "Doe, John" <j@x> stays one address. */
    private static List<String> splitAddresses(List<String> lines) {
        List<String> out = new ArrayList<>();
        if (lines == null) {
            return out;
        }
        for (String line : lines) {
            StringBuilder cur = new StringBuilder();
            boolean quoted = false;
            int angle = 0;
            for (char c : line.toCharArray()) {
                if (c == '"') {
                    quoted = !quoted;
                } else if (c == '<' && !quoted) {
                    angle++;
                } else if (c == '>' && !quoted && angle > 0) {
                    angle--;
                }
                if (c == ',' && !quoted && angle == 0) {
                    out.add(cur.toString().trim());
                    cur.setLength(0);
                } else {
                    cur.append(c);
                }
            }
            if (!cur.toString().isBlank()) {
                out.add(cur.toString().trim());
            }
        }
        return out;
    }

    private OutboundRequest build(List<String> to, List<String> cc, List<String> bcc, String from, List<String> replyTo,
            String subject, String text, String html, String inReplyTo, List<String> references, String id)
            throws InvalidRequestException {
        if (to.isEmpty() && cc.isEmpty() && bcc.isEmpty()) {
            throw new InvalidRequestException("no recipient: give at least one address in to, cc or bcc");
        }
        String sender = from == null || from.isBlank() ? defaultFrom : from;
        if (sender == null || sender.isBlank()) {
            throw new InvalidRequestException("no sender: set 'from' in the request or mail.smtp.from");
        }
        if (subject != null) {
            checkHeaderValue("subject", subject);
            if (subject.length() > MAX_SUBJECT_CHARS) {
                throw new InvalidRequestException("subject is " + subject.length() + " characters, above " + MAX_SUBJECT_CHARS);
            }
        }
        if (text != null && text.indexOf('\0') >= 0) {
            throw new InvalidRequestException("text contains a NUL character");
        }
        if (html != null && html.indexOf('\0') >= 0) {
            throw new InvalidRequestException("html contains a NUL character");
        }
        if (inReplyTo != null) {
            messageId("inReplyTo", inReplyTo);
        }
        for (String ref : references) {
            messageId("references", ref);
        }
        if (id != null) {
            checkHeaderValue("id", id);
            if (id.isBlank() || id.length() > 200) {
                throw new InvalidRequestException("id must be 1 to 200 characters");
            }
        }
        return new OutboundRequest(addresses("to", to), addresses("cc", cc), addresses("bcc", bcc),
                address("from", sender), addresses("replyTo", replyTo), subject == null ? "" : subject,
                text == null ? "" : text, html, inReplyTo, List.copyOf(references), id);
    }

    /** msg-id = "<" id-left "@" id-right ">" (RFC 5322 3.6.4), loosely. */
    private static void messageId(String field, String value) throws InvalidRequestException {
        checkHeaderValue(field, value);
        if (!value.matches("<[^<>\\s@]+@[^<>\\s@]+>")) {
            throw new InvalidRequestException(field + ": '" + value + "' is not a Message-ID like <id@host>");
        }
    }

    private static List<String> addresses(String field, List<String> values) throws InvalidRequestException {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            out.add(address(field, v));
        }
        return out;
    }

    /** Strict RFC 5322 parsing of one mailbox; returns it re-encoded (RFC 2047 for non-ASCII names). */
    static String address(String field, String value) throws InvalidRequestException {
        checkHeaderValue(field, value);
        try {
            InternetAddress[] parsed = InternetAddress.parse(value, true);
            if (parsed.length != 1) {
                throw new InvalidRequestException(field + ": '" + value + "' must be exactly one address");
            }
            InternetAddress a = parsed[0];
            a.validate();
            if (a.isGroup() || a.getAddress() == null || !a.getAddress().contains("@")) {
                throw new InvalidRequestException(field + ": '" + value + "' is not a mailbox address (user@domain)");
            }
            return new InternetAddress(a.getAddress(), a.getPersonal(), "UTF-8").toString();
        } catch (AddressException e) {
            throw new InvalidRequestException(field + ": invalid address '" + value + "': " + e.getMessage());
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** CR or LF in a header value would let a request add headers of its own (header injection). */
    static void checkHeaderValue(String field, String value) throws InvalidRequestException {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                throw new InvalidRequestException(field + " contains a " + (c == '\0' ? "NUL" : c == '\r' ? "CR" : "LF")
                        + " character (header injection is refused)");
            }
        }
    }
}
