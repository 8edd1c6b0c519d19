package io.mailbridge.support;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Messages as real mailboxes hold them, one per class of damage a mail client reads anyway (issue 11),
 * with what their record must say. Written here, byte for byte, so unit and Dovecot tests share them.
 */
public final class DamagedMessages {

    /** raw: the RFC 822 bytes (CRLF); subject null when the message has none. */
    public record Case(String name, byte[] raw, String subject, String text, String html, List<String> warnings,
            List<String> attachmentNames) {
    }

    private DamagedMessages() {
    }

    private static byte[] crlf(String s) {
        return s.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    public static final Case MBOX_ENVELOPE = new Case("mbox envelope line", crlf("""
            From MAILER-DAEMON Fri Apr 06 16:46:09 2001
            From: Mail Delivery System <postmaster@example.org>
            To: alice@localhost
            Subject: Undelivered Mail Returned to Sender
            Message-ID: <bounce-1@example.org>

            This message was created automatically by mail delivery software.
            """), "Undelivered Mail Returned to Sender",
            "This message was created automatically by mail delivery software.\n", null,
            List.of("message: skipped the mbox envelope line \"From MAILER-DAEMON Fri Apr 06 16:46:09 2001\" before the headers"),
            List.of());

    public static final Case NO_HEADERS = new Case("no header section", crlf("""
            Hello Alice,
            this note has no header section: it starts with its text.
            """), null, "Hello Alice,\nthis note has no header section: it starts with its text.\n", null,
            List.of("message: no header section; all of it is the body, read as text/plain"), List.of());

    public static final Case UNTERMINATED_HEADERS = new Case("header section with no blank line", crlf("""
            From: a@example.com
            To: alice@localhost
            Subject: no blank line after the headers
            Content-Type: text/plain
            bar
            baz
            """), "no blank line after the headers", "bar\nbaz\n", null,
            List.of("message: the header section is not ended by a blank line; the body starts at \"bar\""), List.of());

    public static final Case UNTERMINATED_PART_HEADERS = new Case("MIME part header section with no blank line", crlf("""
            From: a@example.com
            To: alice@localhost
            Subject: part headers with no blank line
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b1"

            --b1
            Content-Type: text/plain
            bar
            --b1
            Content-Type: text/plain; name="notes.txt"
            Content-Disposition: attachment; filename="notes.txt"

            attached notes
            --b1--
            """), "part headers with no blank line", "bar", null,
            List.of("part 1: the header section is not ended by a blank line; the body starts at \"bar\""),
            List.of("notes.txt"));

    public static final Case NO_SUBTYPE = new Case("Content-Type without subtype", crlf("""
            From: a@example.com
            To: alice@localhost
            Subject: content type without subtype
            MIME-Version: 1.0
            Content-Type: text; charset=us-ascii

            Plain words under a type with no subtype.
            """), "content type without subtype", "Plain words under a type with no subtype.\n", null,
            List.of("message: Content-Type \"text; charset=us-ascii\" cannot be parsed;"
                    + " read as text/plain; charset=us-ascii (RFC 2045)"),
            List.of());

    public static final Case INLINE_TEXT_WITH_FILENAME = new Case("inline text/plain parts with a filename", crlf("""
            From: a@example.com
            To: alice@localhost
            Subject: inline text parts
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b2"

            --b2
            Content-Type: text/plain; charset=utf-8; name="message.txt"
            Content-Disposition: inline; filename="message.txt"

            The body a client shows, sent as an inline file.
            --b2
            Content-Type: text/plain; charset=utf-8
            Content-Disposition: inline

            --\s
            list footer
            --b2--
            """), "inline text parts", "The body a client shows, sent as an inline file.\n-- \nlist footer", null,
            List.of("text: 2 inline text/plain parts joined in order (part 1, part 2)"), List.of("message.txt"));

    static final String HTML = "<html><head><title>Invoice</title><style>p {color: red}</style></head><body>"
            + "<h1>Invoice 17</h1><p>Amount:   <b>42 EUR</b></p><div>Due <i>soon</i><br>Thanks</div>"
            + "<ul><li>one</li><li>two</li></ul></body></html>";

    public static final Case HTML_ONLY = new Case("HTML only", crlf("""
            From: a@example.com
            To: alice@localhost
            Subject: html only
            MIME-Version: 1.0
            Content-Type: text/html; charset=utf-8

            """ + HTML + "\n"), "html only", "Invoice 17\nAmount: 42 EUR\nDue soon\nThanks\none\ntwo\n", HTML + "\n",
            List.of("text: rendered from the text/html part; the message has no text/plain part"), List.of());

    public static final Case NO_BOUNDARY_LINE = new Case("multipart with no boundary line", crlf("""
            From: a@example.com
            To: alice@localhost
            Subject: multipart without parts
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="zz"

            just text
            """), "multipart without parts", "just text\n", null,
            List.of("message: the multipart/mixed body cannot be split into parts (Missing start boundary);"
                    + " read as text/plain"),
            List.of());

    public static final Case WELL_FORMED = new Case("well-formed", crlf("""
            From: a@example.com
            To: alice@localhost
            Subject: nothing to repair
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8

            Nothing wrong here.
            """), "nothing to repair", "Nothing wrong here.\n", null, List.of(), List.of());

    /** Issue 23: a lone CR inside the Subject line; the fields after it are still header fields. */
    public static final Case BARE_CR_IN_HEADER = new Case("lone CR inside a header line", crlf("""
            From: a@example.com
            To: alice@localhost
            Subject: bare\rcr inside
            Message-ID: <bare-cr@example.com>
            Date: Mon, 07 Dec 2026 10:00:00 +0000
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: 8bit

            Grüße aus Köln
            """), "bare cr inside", "Grüße aus Köln\n", null,
            List.of("message: a CR not followed by LF inside the header line \"Subject: bare\\rcr inside\" is read as"
                    + " a space, not as a line end"),
            List.of());

    /** Issue 23: characters that are not base64 inside base64 content, in the text and in an attachment. */
    public static final Case BASE64_GARBAGE = new Case("garbage inside base64", crlf("""
            From: a@example.com
            To: alice@localhost
            Subject: base64 with garbage
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b3"

            --b3
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: base64

            SGVs!bG8s#IHdv
            cmxkDQo=
            --b3
            Content-Type: text/plain; name="notes.txt"
            Content-Disposition: attachment; filename="notes.txt"
            Content-Transfer-Encoding: base64

            YXR0YWNo*ZWQg~bm90%ZXM=
            --b3--
            """), "base64 with garbage", "Hello, world\n", null,
            List.of("part 1: skipped 2 bytes that are not base64",
                    "part 2: skipped 3 bytes that are not base64"),
            List.of("notes.txt"));

    /** Issue 23: a Subject and a display name encoded in a charset no Java runtime knows. */
    public static final Case UNKNOWN_CHARSET_WORDS = new Case("encoded words in an unknown charset", crlf("""
            From: =?x-unknown?Q?Ren=E9?= <rene@example.com>
            To: alice@localhost
            Subject: =?x-unknown?Q?Caf=E9?=
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8

            Nothing wrong in the body.
            """), "=?x-unknown?Q?Caf=E9?=", "Nothing wrong in the body.\n", null,
            List.of("Subject: an encoded word in an unknown charset or encoding (x-unknown) cannot be decoded;"
                    + " kept as written",
                    "From name: an encoded word in an unknown charset or encoding (x-unknown) cannot be decoded;"
                    + " kept as written"),
            List.of());

    public static List<Case> all() {
        return List.of(MBOX_ENVELOPE, NO_HEADERS, UNTERMINATED_HEADERS, UNTERMINATED_PART_HEADERS, NO_SUBTYPE,
                INLINE_TEXT_WITH_FILENAME, HTML_ONLY, NO_BOUNDARY_LINE, WELL_FORMED, BARE_CR_IN_HEADER, BASE64_GARBAGE,
                UNKNOWN_CHARSET_WORDS);
    }
}
