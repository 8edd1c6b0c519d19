package io.mailbridge.record;

import static io.mailbridge.record.RecordMapping.assertCase;
import static io.mailbridge.record.RecordMapping.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbridge.support.DamagedMessages;
import io.mailbridge.support.DamagedMessages.Case;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11: what a mail client shows, the record says; each repair is named in warnings. */
class MessageRepairTest {

    @Test
    void anMboxEnvelopeLineIsSkippedAndTheHeadersAfterItAreRead() throws Exception {
        MessageRecord r = assertCase(DamagedMessages.MBOX_ENVELOPE);
        assertEquals("postmaster@example.org", r.from().get(0).address());
        assertEquals("<bounce-1@example.org>", r.messageId());
        assertEquals("From", r.headers().get(0).name());
    }

    @Test
    void bytesWithNoHeaderSectionAreARecordWithTheWholeTextAndEmptyHeaderFields() throws Exception {
        MessageRecord r = assertCase(DamagedMessages.NO_HEADERS);
        assertEquals(List.of(), r.headers());
        assertEquals(List.of(), r.from());
        assertNull(r.messageId());
        assertNull(r.date());
    }

    @Test
    void binaryGarbageIsStillARecordAndUndeclaredNonUtf8TextIsReadAsWindows1252() throws Exception {
        byte[] garbage = "\u0001\u0002 this is not an RFC 822 message \u00ff\u00fe\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        MessageRecord r = map(garbage);
        assertEquals("\u0001\u0002 this is not an RFC 822 message ÿþ\n\n", r.text());
        assertEquals(List.of("message: no header section; all of it is the body, read as text/plain",
                "message: 8-bit text with no charset is not UTF-8; read as windows-1252"), r.warnings());
    }

    @Test
    void anEmptyMessageIsARecordThatSaysItIsEmpty() throws Exception {
        MessageRecord r = map(new byte[0]);
        assertEquals("", r.text());
        assertEquals(List.of("message: empty, 0 bytes"), r.warnings());
    }

    @Test
    void headerLinesRunUntilTheFirstLineThatIsNotAHeaderField() throws Exception {
        MessageRecord r = assertCase(DamagedMessages.UNTERMINATED_HEADERS);
        assertEquals(List.of("From", "To", "Subject", "Content-Type"),
                r.headers().stream().map(MessageRecord.Header::name).toList());
    }

    @Test
    void insideAMultipartAPartWithNoBlankLineKeepsItsBodyAndTheNextPartSurvives() throws Exception {
        MessageRecord r = assertCase(DamagedMessages.UNTERMINATED_PART_HEADERS);
        MessageRecord.Attachment notes = r.attachments().get(0);
        assertEquals("attachment", notes.disposition());
        assertEquals("attached notes".length(), notes.size());
    }

    @Test
    void aContentTypeWithoutSubtypeIsReadAsPlainUsAsciiText() throws Exception {
        assertCase(DamagedMessages.NO_SUBTYPE);
    }

    @Test
    void inlineTextPartsAreTheTextJoinedInOrderAndANamedOneIsAlsoAnAttachment() throws Exception {
        MessageRecord r = assertCase(DamagedMessages.INLINE_TEXT_WITH_FILENAME);
        assertEquals("inline", r.attachments().get(0).disposition());
        assertEquals("text/plain", r.attachments().get(0).contentType());
    }

    @Test
    void htmlOnlyGetsAPlainTextRenderingWithBlocksAsLinesAndTheHtmlIsKept() throws Exception {
        assertCase(DamagedMessages.HTML_ONLY);
    }

    @Test
    void aWholeMessageThatIsANamedTextPartIsTextAndAnAttachment() throws Exception {
        MessageRecord r = map(("From: a@example.com\r\nSubject: log\r\nContent-Type: text/plain; name=\"log.txt\"\r\n\r\n"
                + "line 1\r\n").getBytes(StandardCharsets.US_ASCII));
        assertEquals("line 1\n", r.text());
        assertEquals(List.of("log.txt"), r.attachments().stream().map(MessageRecord.Attachment::filename).toList());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void anObsoleteFromHeaderWithSpaceBeforeTheColonIsAHeaderNotAnEnvelopeLine() throws Exception {
        MessageRecord r = map("From : a@example.com\r\nSubject: obs\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("a@example.com", r.from().get(0).address());
        assertEquals("body\n", r.text());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void aMultipartWithNoBoundaryLineIsReadAsText() throws Exception {
        assertCase(DamagedMessages.NO_BOUNDARY_LINE);
    }

    @Test
    void aLargeMessageSpooledToAFileIsRepairedTheSameWay(@TempDir Path dir) throws Exception {
        for (Case c : DamagedMessages.all()) {
            Path file = dir.resolve(c.name().replaceAll("[^a-z]", "_") + ".eml");
            Files.write(file, c.raw());
            MessageRecord r = map(file.toFile());
            assertEquals(c.text(), r.text(), c.name());
            assertEquals(c.warnings(), r.warnings(), c.name());
            assertEquals(c.attachmentNames(), r.attachments().stream().map(MessageRecord.Attachment::filename).toList(), c.name());
        }
    }

    @Test
    void warningsAreAlwaysInTheJsonEmptyWhenNothingWasRepaired() throws Exception {
        MessageRecord r = assertCase(DamagedMessages.WELL_FORMED);
        JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsBytes(r));
        assertTrue(json.get("warnings").isArray(), json.toString());
        assertEquals(0, json.get("warnings").size());
        assertEquals("mailbridge.message/1", json.get("schema").asText());
        List<String> fields = new java.util.ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("error", "warnings"), fields.subList(fields.size() - 2, fields.size()), "warnings comes last");
    }
}
