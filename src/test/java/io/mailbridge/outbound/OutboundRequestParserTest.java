package io.mailbridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class OutboundRequestParserTest {

    private final OutboundRequestParser parser = new OutboundRequestParser("robot@example.com", 5000);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String reason(String request) {
        return assertThrows(InvalidRequestException.class, () -> parser.parse(b(request))).getMessage();
    }

    @Test
    void refusesWithAReasonAUserCanActOn() {
        assertTrue(reason("{\"to\": [\"a@example.com\"], \"subject\": \"" + "s".repeat(999) + "\"}").contains("above 998"));
        assertTrue(reason("{\"to\": [\"a@example.com\"], \"text\": \"" + "x".repeat(6000) + "\"}").contains("mail.outbox.max-bytes"));
        assertTrue(reason("{\"to\": [\"a@example.com\"], \"text\": \"nul \\u0000 here\"}").contains("NUL"));
        assertTrue(reason("{\"to\": [\"a@example.com\", \"b@@example.com\"]}").contains("b@@example.com"));
        assertTrue(reason("{\"to\": \"a@example.com\", \"from\": \"x\\ny@example.com\"}").contains("header injection"));
        assertTrue(reason("{\"to\": [\"a@example.com\"], \"inReplyTo\": \"not-an-id\"}").contains("Message-ID"));
        assertTrue(reason("{\"to\": [\"a@example.com\"], \"cc\": 5}").contains("'cc'"));
        assertTrue(reason("[1, 2]").contains("object"));
        assertTrue(reason("To: a@example.com\nSubject: one\nSubject: two\n\nx").contains("2 times"));
        assertTrue(reason("").contains("empty"));
    }

    @Test
    void nonAsciiDisplayNamesAreEncodedAndDefaultsApplied() throws Exception {
        OutboundRequest r = parser.parse(b("To: \"Doe, John\" <j@example.com>, Jürgen <jm@example.com>\n\nhi"));
        assertEquals(List.of("\"Doe, John\" <j@example.com>", "=?UTF-8?Q?J=C3=BCrgen?= <jm@example.com>"), r.to());
        assertEquals("robot@example.com", r.from());
        assertEquals("", r.subject());
        assertEquals("hi", r.text());
    }

    @Test
    void messageIdIsStableForTheSameRequestAndDiffersForAnother() throws Exception {
        byte[] a = b("{\"to\": [\"a@example.com\"], \"text\": \"1\"}");
        byte[] c = b("{\"to\": [\"a@example.com\"], \"text\": \"2\"}");
        OutboundRequest ra = parser.parse(a);
        String id1 = OutboundRequestProcessor.messageId(ra, "r.json", a);
        assertEquals(id1, OutboundRequestProcessor.messageId(parser.parse(a), "r.json", a));
        assertNotEquals(id1, OutboundRequestProcessor.messageId(parser.parse(c), "r.json", c));
        assertTrue(id1.matches("<mailbridge\\.[0-9a-f]{40}@example\\.com>"), id1);
        OutboundRequest withId = parser.parse(b("{\"id\": \"x-1\", \"to\": [\"a@example.com\"], \"text\": \"1\"}"));
        OutboundRequest sameIdOtherText = parser.parse(b("{\"id\": \"x-1\", \"to\": [\"a@example.com\"], \"text\": \"2\"}"));
        assertEquals(OutboundRequestProcessor.messageId(withId, "one.json", new byte[0]),
                OutboundRequestProcessor.messageId(sameIdOtherText, "two.json", new byte[1]), "id decides");
    }
}
