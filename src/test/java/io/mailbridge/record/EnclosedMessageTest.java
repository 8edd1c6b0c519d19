package io.mailbridge.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import io.mailbridge.record.MessageRecord.Attachment;
import io.mailbridge.support.DamagedMessages.Case;
import io.mailbridge.support.EnclosedMessages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Forwarded messages and digests (issue 20) read as a client shows them: the enclosed bodies are the text. */
class EnclosedMessageTest {

    @TempDir
    Path dir;

    private static List<String> types(MessageRecord r) {
        return r.attachments().stream().map(Attachment::contentType).toList();
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void aWholeBodyForwardIsTheEnclosedBodyAndStaysAnAttachment() throws Exception {
        MessageRecord r = RecordMapping.assertCase(EnclosedMessages.FORWARD_WHOLE_BODY);
        assertEquals(List.of("message/rfc822"), types(r));
        Attachment forwarded = r.attachments().get(0);
        assertEquals(EnclosedMessages.FORWARDED.length, forwarded.size());
        assertEquals(sha256(EnclosedMessages.FORWARDED), forwarded.sha256());
        assertEquals("Fwd: quarterly numbers", r.subject(), "the record's headers are the outer message's");
    }

    @Test
    void aBase64ForwardIsDecodedBeforeItIsRead() throws Exception {
        MessageRecord r = RecordMapping.assertCase(EnclosedMessages.FORWARD_BASE64);
        assertEquals(EnclosedMessages.FORWARDED.length, r.attachments().get(0).size());
        assertEquals(sha256(EnclosedMessages.FORWARDED), r.attachments().get(0).sha256());
    }

    @Test
    void mailmanDigestEntriesWithoutContentTypeAreMessagesNotText() throws Exception {
        MessageRecord r = RecordMapping.assertCase(EnclosedMessages.MAILMAN_DIGEST);
        for (String header : List.of("From:", "To:", "Subject:", "Message-ID:", "Content-Type:", "--===")) {
            assertFalse(r.text().contains(header), header + " in text: " + r.text());
        }
        assertEquals(List.of("message/rfc822", "message/rfc822", "message/rfc822"), types(r));
        // each entry's size is its whole enclosed message, header block included (the figures in record-schema.md)
        assertEquals(List.of(218L, 139L, 179L), r.attachments().stream().map(Attachment::size).toList());
    }

    @Test
    void aTopLevelDigestIsItsEntriesBodies() throws Exception {
        MessageRecord r = RecordMapping.assertCase(EnclosedMessages.TOP_LEVEL_DIGEST);
        assertEquals(List.of("message/rfc822", "message/rfc822"), types(r));
    }

    @Test
    void anEnclosedMessagesHtmlAndAttachmentsAreTheRecords() throws Exception {
        MessageRecord r = RecordMapping.assertCase(EnclosedMessages.FORWARD_WITH_PARTS);
        assertEquals(List.of("message/rfc822", "application/pdf"), types(r));
        Attachment pdf = r.attachments().get(1);
        assertEquals(9, pdf.size(), "%PDF-1.4\\n decoded");
        assertEquals("attachment", pdf.disposition());
    }

    @Test
    void aDigestWhoseEntriesHaveNoTextSaysSo() throws Exception {
        MessageRecord r = RecordMapping.assertCase(EnclosedMessages.DIGEST_WITHOUT_TEXT);
        assertEquals(List.of("message/rfc822", "image/png", "message/rfc822", "image/png"), types(r));
    }

    @Test
    void aForwardWithNoTextSaysSo() throws Exception {
        RecordMapping.assertCase(EnclosedMessages.FORWARD_WITHOUT_TEXT);
    }

    @Test
    void aMessageAttachedBesideABodyIsOnlyAnAttachment() throws Exception {
        MessageRecord r = RecordMapping.assertCase(EnclosedMessages.FORWARD_AS_ATTACHMENT);
        assertEquals(List.of("message/rfc822"), types(r));
        // its last CRLF belongs to the closing boundary line
        assertEquals(EnclosedMessages.FORWARDED.length - 2, r.attachments().get(0).size());
    }

    @Test
    void aSpooledMessageReadsItsEnclosedMessagesInPlaceToTheSameRecord() throws Exception {
        for (Case c : EnclosedMessages.ALL) {
            Path file = dir.resolve("spooled.eml");
            Files.write(file, c.raw());
            assertEquals(RecordMapping.map(c.raw()), RecordMapping.map(file.toFile()), c.name());
        }
    }

    /** Forwards of forwards 30 deep: past 20 levels the rest is one attachment, with the nesting warning. */
    @Test
    void forwardsNestedPastTheLimitStopThere() throws Exception {
        String message = "From: a@example.com\nSubject: level 30\n\ninnermost text\n";
        for (int level = 29; level >= 0; level--) {
            message = "From: a@example.com\nSubject: level " + level + "\nContent-Type: message/rfc822\n\n" + message;
        }
        MessageRecord r = RecordMapping.map(message.replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII));
        assertNull(r.error());
        assertNull(r.text(), "the innermost text is below the limit");
        assertEquals(21, r.attachments().size(), "20 forwards read, the 21st listed whole");
        String deepest = "part " + "1.".repeat(19) + "1";
        assertTrue(r.warnings().contains(deepest + ": MIME nesting deeper than 20 levels; this message/rfc822 is listed"
                + " as one attachment and the parts inside it are not read"), r.warnings().toString());
    }
}
