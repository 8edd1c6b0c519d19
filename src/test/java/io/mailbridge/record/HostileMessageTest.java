package io.mailbridge.record;

import static io.mailbridge.record.RecordMapping.assertCase;
import static io.mailbridge.record.RecordMapping.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.mailbridge.support.DamagedMessages;
import io.mailbridge.support.DamagedMessages.Case;
import io.mailbridge.support.ExtremeMessages;
import org.junit.jupiter.api.Test;

/** Issue 23, points 3 and 4: a lone CR keeps the header section whole, and no repair is silent. */
class HostileMessageTest {

    private static List<String> names(MessageRecord r) {
        return r.headers().stream().map(MessageRecord.Header::name).toList();
    }

    @Test
    void aLoneCrInsideTheSubjectIsASpaceAndTheFieldsAfterItStayHeaders() throws Exception {
        MessageRecord r = assertCase(DamagedMessages.BARE_CR_IN_HEADER); // text "Grüße": the charset was kept
        assertEquals("<bare-cr@example.com>", r.messageId());
        assertEquals("2026-12-07T10:00:00Z", r.date());
        assertEquals(List.of("From", "To", "Subject", "Message-ID", "Date", "MIME-Version", "Content-Type",
                "Content-Transfer-Encoding"), names(r));
    }

    @Test
    void aLoneCrInsideAPartHeaderKeepsThePartAnAttachment() throws Exception {
        byte[] raw = ("From: a@example.com\r\nSubject: minutes\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b4\"\r\n\r\n"
                + "--b4\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee the notes.\r\n"
                + "--b4\r\nContent-Type: text/plain; name=\"notes.txt\"\r\nContent-Description: notes\rfrom the meeting\r\n"
                + "Content-Disposition: attachment; filename=\"notes.txt\"\r\n\r\nattached notes\r\n--b4--\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        MessageRecord r = map(raw);
        assertEquals("See the notes.", r.text());
        assertEquals(1, r.attachments().size());
        assertEquals("notes.txt", r.attachments().get(0).filename());
        assertEquals("attachment", r.attachments().get(0).disposition());
        assertEquals("attached notes".length(), r.attachments().get(0).size());
        assertEquals(List.of("part 2: a CR not followed by LF inside the header line \"Content-Description: notes\\rfrom the"
                + " meeting\" is read as a space, not as a line end"), r.warnings());
    }

    @Test
    void aMessageWithOldMacLineEndsStillEndsItsLinesAtEachCr() throws Exception {
        MessageRecord r = map("From: a@example.com\rSubject: mac\rMessage-ID: <mac@example.com>\r\rold text\r"
                .getBytes(StandardCharsets.US_ASCII));
        assertEquals("mac", r.subject());
        assertEquals("<mac@example.com>", r.messageId());
        assertEquals(List.of("From", "Subject", "Message-ID"), names(r));
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void twentyLevelsOfNestingAreReadWhole() throws Exception {
        MessageRecord r = map(ExtremeMessages.nestedMultiparts(20));
        assertEquals("deep text", r.text()); // the line break before a boundary belongs to the boundary
        assertEquals(List.of(), r.attachments());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void nestingDeeperThanTwentyLevelsIsOneAttachmentAndSaysSo() throws Exception {
        MessageRecord r = map(ExtremeMessages.nestedMultiparts(21));
        assertNull(r.text());
        assertEquals(1, r.attachments().size());
        assertEquals("multipart/mixed", r.attachments().get(0).contentType());
        String path = String.join(".", java.util.Collections.nCopies(20, "1"));
        assertEquals(List.of("part " + path + ": MIME nesting deeper than 20 levels; this multipart/mixed is listed as"
                + " one attachment and the parts inside it are not read"), r.warnings());
        assertNull(r.error());
    }

    @Test
    void fiftyThousandLevelsAreReadOnlyTwentyDeepInLittleTime() throws Exception {
        byte[] raw = ExtremeMessages.nestedMultiparts(50_000);
        long start = System.nanoTime();
        MessageRecord r = map(raw);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(1, r.attachments().size());
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).endsWith(": MIME nesting deeper than 20 levels; this multipart/mixed is listed as"
                + " one attachment and the parts inside it are not read"), r.warnings().toString());
        assertTrue(millis < 5_000, raw.length + " bytes, 50,000 levels: " + millis + " ms");
    }

    @Test
    void garbageInsideBase64IsSkippedAndCountedPerPart() throws Exception {
        MessageRecord r = assertCase(DamagedMessages.BASE64_GARBAGE);
        assertEquals("attached notes".length(), r.attachments().get(0).size());
    }

    @Test
    void aSubjectAndADisplayNameInAnUnknownCharsetStayAsWrittenWithAWarning() throws Exception {
        MessageRecord r = assertCase(DamagedMessages.UNKNOWN_CHARSET_WORDS);
        assertEquals("=?x-unknown?Q?Ren=E9?=", r.from().get(0).name());
        assertEquals("rene@example.com", r.from().get(0).address());
    }

    @Test
    void encodedWordsInAKnownCharsetAreDecodedWithoutWarning() throws Exception {
        MessageRecord r = map(("From: =?iso-8859-1?Q?Ren=E9?= <rene@example.com>\r\nSubject: =?utf-8?Q?Caf=C3=A9?=\r\n\r\n"
                + "x\r\n").getBytes(StandardCharsets.US_ASCII));
        assertEquals("Café", r.subject());
        assertEquals("René", r.from().get(0).name());
        assertEquals(List.of(), r.warnings());
    }
}
