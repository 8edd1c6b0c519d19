package io.mailbridge.support;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import io.mailbridge.support.DamagedMessages.Case;

/**
 * Forwarded messages and digests as clients and list servers write them (issue 20), with the record a
 * mail client's reading gives: the enclosed messages' body text, no header block. Attachment names are
 * null for the message/rfc822 entries, which have none.
 */
public final class EnclosedMessages {

    private EnclosedMessages() {
    }

    private static byte[] crlf(String s) {
        return s.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> names(String... names) {
        return Arrays.asList(names); // List.of refuses the null names of message/rfc822 entries
    }

    /** The enclosed message of {@link #FORWARD_WHOLE_BODY}, byte for byte. */
    public static final byte[] FORWARDED = crlf("""
            From: Bob <bob@example.com>
            To: carol@example.com
            Subject: quarterly numbers
            Date: Mon, 7 Dec 2026 10:00:00 +0000
            Message-ID: <orig-1@example.com>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: 8bit

            The numbers are up 4 % this quarter.
            Grüße, Bob
            """);

    /** GroupWise style: the whole body is the forwarded message. */
    public static final Case FORWARD_WHOLE_BODY = new Case("message/rfc822 as the whole body", concat(crlf("""
            From: Alice <alice@example.org>
            To: dave@localhost
            Subject: Fwd: quarterly numbers
            Message-ID: <fwd-1@example.org>
            MIME-Version: 1.0
            Content-Type: message/rfc822

            """), FORWARDED), "Fwd: quarterly numbers", "The numbers are up 4 % this quarter.\nGrüße, Bob\n", null,
            List.of(), names((String) null));

    /** The same forward, its content in base64 (Jakarta Mail leaves an encoded message/rfc822 undecoded). */
    public static final Case FORWARD_BASE64 = new Case("message/rfc822 in base64 as the whole body", concat(crlf("""
            From: Alice <alice@example.org>
            To: dave@localhost
            Subject: Fwd: quarterly numbers
            MIME-Version: 1.0
            Content-Type: message/rfc822
            Content-Transfer-Encoding: base64

            """), Base64.getMimeEncoder().encode(FORWARDED), crlf("\n")), "Fwd: quarterly numbers",
            "The numbers are up 4 % this quarter.\nGrüße, Bob\n", null, List.of(), names((String) null));

    /** Mailman style: a multipart/digest inside a multipart/mixed, entries with no Content-Type of their own. */
    public static final Case MAILMAN_DIGEST = new Case("Mailman digest, entries without Content-Type", crlf("""
            From: demo-request@lists.example.org
            To: dave@localhost
            Subject: Demo Digest, Vol 12, Issue 3
            Message-ID: <digest-12-3@lists.example.org>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="===mix=="

            --===mix==
            Content-Type: multipart/digest; boundary="===dig=="

            --===dig==

            From: Bob <bob@example.com>
            To: demo@lists.example.org
            Subject: first topic
            Message-ID: <e1@example.com>
            Content-Type: text/plain; charset="utf-8"
            Content-Transfer-Encoding: 8bit

            First entry body, from Köln.

            --===dig==

            From: Carol <carol@example.com>
            To: demo@lists.example.org
            Subject: Re: first topic
            Message-ID: <e2@example.com>

            Second entry body.

            --===dig==

            From: Erin <erin@example.com>
            To: demo@lists.example.org
            Subject: second topic
            Message-ID: <e3@example.com>
            Content-Type: text/plain; charset="us-ascii"

            Third entry body.

            --===dig==--

            --===mix==--
            """), "Demo Digest, Vol 12, Issue 3", "First entry body, from Köln.\nSecond entry body.\nThird entry body.\n",
            null, List.of("text: 3 inline text/plain parts joined in order (part 1.1.1, part 1.2.1, part 1.3.1)"),
            names(null, null, null));

    /** A top-level multipart/digest whose entries say Content-Type: message/rfc822 themselves. */
    public static final Case TOP_LEVEL_DIGEST = new Case("top-level digest, typed entries", crlf("""
            From: news-request@lists.example.org
            To: dave@localhost
            Subject: News Digest, Vol 3, Issue 9
            MIME-Version: 1.0
            Content-Type: multipart/digest; boundary="d"

            --d
            Content-Type: message/rfc822

            From: Bob <bob@example.com>
            Subject: one

            One.
            --d
            Content-Type: message/rfc822

            From: Carol <carol@example.com>
            Subject: two

            Two.
            --d--
            """), "News Digest, Vol 3, Issue 9", "One.\nTwo.",
            null, List.of("text: 2 inline text/plain parts joined in order (part 1.1, part 2.1)"), names(null, null));

    /** A forward whose enclosed message has a text and an html alternative and a PDF attachment. */
    public static final Case FORWARD_WITH_PARTS = new Case("enclosed message with html and an attachment", crlf("""
            From: Alice <alice@example.org>
            To: dave@localhost
            Subject: Fwd: minutes
            MIME-Version: 1.0
            Content-Type: message/rfc822

            From: Bob <bob@example.com>
            To: alice@example.org
            Subject: minutes
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="outer"

            --outer
            Content-Type: multipart/alternative; boundary="alt"

            --alt
            Content-Type: text/plain; charset=us-ascii

            Minutes attached.
            --alt
            Content-Type: text/html; charset=us-ascii

            <p>Minutes attached.</p>
            --alt--
            --outer
            Content-Type: application/pdf; name="minutes.pdf"
            Content-Disposition: attachment; filename="minutes.pdf"
            Content-Transfer-Encoding: base64

            JVBERi0xLjQK
            --outer--
            """), "Fwd: minutes", "Minutes attached.", "<p>Minutes attached.</p>", List.of(),
            names(null, "minutes.pdf"));

    /** A top-level digest whose entries hold only images: no text anywhere, and a warning that says so. */
    public static final Case DIGEST_WITHOUT_TEXT = new Case("digest entries without text", crlf("""
            From: photos-request@lists.example.org
            To: dave@localhost
            Subject: Photos Digest, Vol 1, Issue 1
            MIME-Version: 1.0
            Content-Type: multipart/digest; boundary="dig"

            --dig

            From: Bob <bob@example.com>
            Subject: a.png
            MIME-Version: 1.0
            Content-Type: image/png; name="a.png"
            Content-Transfer-Encoding: base64

            iVBORw0KGgo=
            --dig

            From: Carol <carol@example.com>
            Subject: b.png
            MIME-Version: 1.0
            Content-Type: image/png; name="b.png"
            Content-Transfer-Encoding: base64

            iVBORw0KGgo=
            --dig--
            """), "Photos Digest, Vol 1, Issue 1", null, null,
            List.of("message: the 2 entries of the multipart/digest have no inline text/plain or text/html part;"
                    + " text is null (the entries are in attachments)"),
            names(null, "a.png", null, "b.png"));

    /** A forward of a message that is only an image: no text, and a warning that says why. */
    public static final Case FORWARD_WITHOUT_TEXT = new Case("enclosed message without text", crlf("""
            From: Alice <alice@example.org>
            To: dave@localhost
            Subject: Fwd: scan
            MIME-Version: 1.0
            Content-Type: message/rfc822

            From: Scanner <scanner@example.com>
            Subject: scan
            MIME-Version: 1.0
            Content-Type: image/png; name="scan.png"
            Content-Transfer-Encoding: base64

            iVBORw0KGgo=
            """), "Fwd: scan", null, null,
            List.of("message: the enclosed message/rfc822 has no inline text/plain or text/html part;"
                    + " text is null (the message is in attachments)"),
            names(null, "scan.png"));

    /** A message forwarded as an attachment beside the body stays an attachment only: its text is not the body. */
    public static final Case FORWARD_AS_ATTACHMENT = new Case("message/rfc822 attached beside a body", concat(crlf("""
            From: Alice <alice@example.org>
            To: dave@localhost
            Subject: Fwd: quarterly numbers
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="m"

            --m
            Content-Type: text/plain; charset=us-ascii

            See the message below.
            --m
            Content-Type: message/rfc822
            Content-Disposition: attachment

            """), FORWARDED, crlf("""
            --m--
            """)), "Fwd: quarterly numbers", "See the message below.", null, List.of(), names((String) null));

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    public static final List<Case> ALL = List.of(FORWARD_WHOLE_BODY, FORWARD_BASE64, MAILMAN_DIGEST, TOP_LEVEL_DIGEST, FORWARD_WITH_PARTS,
            DIGEST_WITHOUT_TEXT, FORWARD_WITHOUT_TEXT, FORWARD_AS_ATTACHMENT);
}
