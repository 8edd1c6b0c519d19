package io.mailbridge.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Delivery reports as Postfix, Exim, Sendmail, Exchange Online and Gmail write them (issue 20), a
 * read receipt (RFC 8098), an internationalized report (RFC 6533), an abuse report, malformed reports and
 * auto-replies, each with the {@code autoSubmitted}, {@code deliveryReport} and {@code warnings} its
 * record must have. Written by the project after the formats those servers document and send; the
 * addresses and host names are example ones. Every report is about {@link #ORIGINAL_ID} unless it says otherwise.
 */
public final class ReportMessages {

    /** The Message-ID of the message the reports are about (a Message-ID as mailbridge's outbound route makes them). */
    public static final String ORIGINAL_ID = "<mailbridge.5e0c4ad3b1f2a7c9e8d0f11223344556677889900@example.com>";

    /**
     * @param deliveryReport the expected {@code deliveryReport} as JSON ({@code null} for none)
     * @param text           the expected {@code text}
     */
    public record Report(String name, byte[] raw, String subject, String autoSubmitted, String deliveryReport,
            List<String> warnings, String text) {
    }

    private ReportMessages() {
    }

    static byte[] crlf(String s) {
        return s.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The message mailbridge sent, as the reports return it (whole, or its header section). */
    private static String returned(String messageId, boolean withBody) {
        return """
                Return-Path: <orders@example.com>
                Date: Mon, 7 Dec 2026 21:59:57 +0000 (UTC)
                From: orders@example.com
                To: nobody@example.net
                Message-ID: %s
                Subject: Your order 42
                MIME-Version: 1.0
                Content-Type: text/plain; charset=UTF-8
                Content-Transfer-Encoding: 7bit
                """.formatted(messageId) + (withBody ? "\nYour order 42 has shipped.\n" : "");
    }

    /** Postfix bounce(8): a failed recipient, the whole message returned; the diagnostic folded as Postfix folds it. */
    public static byte[] postfixBounce(String messageId, String recipient) {
        return crlf("""
                Return-Path: <>
                Date: Mon,  7 Dec 2026 22:00:01 +0000 (UTC)
                From: MAILER-DAEMON@mail.example.com (Mail Delivery System)
                Subject: Undelivered Mail Returned to Sender
                To: orders@example.com
                Auto-Submitted: auto-replied
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status;
                	boundary="3F5A81234.1796680801/mail.example.com"
                Content-Transfer-Encoding: 8bit
                Message-Id: <20261207220001.9C0D41235@mail.example.com>

                This is a MIME-encapsulated message.

                --3F5A81234.1796680801/mail.example.com
                Content-Description: Notification
                Content-Type: text/plain; charset=us-ascii

                This is the mail system at host mail.example.com.

                I'm sorry to have to inform you that your message could not
                be delivered to one or more recipients. It's attached below.

                <{rcpt}>: host mx.example.net[203.0.113.7] said: 550 5.1.1 <{rcpt}>:
                    Recipient address rejected: User unknown in local recipient table (in reply
                    to RCPT TO command)

                --3F5A81234.1796680801/mail.example.com
                Content-Description: Delivery report
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mail.example.com
                X-Postfix-Queue-ID: 3F5A81234
                X-Postfix-Sender: rfc822; orders@example.com
                Arrival-Date: Mon,  7 Dec 2026 21:59:58 +0000 (UTC)

                Final-Recipient: rfc822; {rcpt}
                Original-Recipient: rfc822;{rcpt}
                Action: failed
                Status: 5.1.1
                Remote-MTA: dns; mx.example.net
                Diagnostic-Code: smtp; 550 5.1.1 <{rcpt}>: Recipient address rejected: User
                    unknown in local recipient table

                --3F5A81234.1796680801/mail.example.com
                Content-Description: Undelivered Message
                Content-Type: message/rfc822
                Content-Transfer-Encoding: 8bit

                """.replace("{rcpt}", recipient) + returned(messageId, true) + """

                --3F5A81234.1796680801/mail.example.com--
                """);
    }

    public static final Report POSTFIX_BOUNCE = new Report("Postfix bounce", postfixBounce(ORIGINAL_ID, "nobody@example.net"),
            "Undelivered Mail Returned to Sender", "auto-replied", """
            {"type": "delivery-status", "reportingMta": "mail.example.com", "reportingUa": null,
             "originalMessageId": "%s",
             "recipients": [{"finalRecipient": "nobody@example.net", "originalRecipient": "nobody@example.net",
               "action": "failed", "status": "5.1.1",
               "diagnosticCode": "550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown in local recipient table",
               "remoteMta": "mx.example.net", "disposition": null}],
             "sentByMailbridge": null}
            """.formatted(ORIGINAL_ID), List.of(), """
            This is the mail system at host mail.example.com.

            I'm sorry to have to inform you that your message could not
            be delivered to one or more recipients. It's attached below.

            <nobody@example.net>: host mx.example.net[203.0.113.7] said: 550 5.1.1 <nobody@example.net>:
                Recipient address rejected: User unknown in local recipient table (in reply
                to RCPT TO command)
            """);

    /** Postfix delay warning: the recipient is still being retried, only the header section returned. */
    public static final Report POSTFIX_DELAY = new Report("Postfix delay warning", crlf("""
            Date: Mon,  7 Dec 2026 23:00:02 +0000 (UTC)
            From: MAILER-DAEMON@mail.example.com (Mail Delivery System)
            Subject: Delayed Mail (still being retried)
            To: orders@example.com
            Auto-Submitted: auto-replied
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status;
            	boundary="7B2C91A55.1796684402/mail.example.com"
            Message-Id: <20261207230002.1A2B37B2C@mail.example.com>

            This is a MIME-encapsulated message.

            --7B2C91A55.1796684402/mail.example.com
            Content-Description: Notification
            Content-Type: text/plain; charset=us-ascii

            This is the mail system at host mail.example.com.

            ####################################################################
            # THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #
            ####################################################################

            --7B2C91A55.1796684402/mail.example.com
            Content-Description: Delivery report
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mail.example.com
            X-Postfix-Queue-ID: 7B2C91A55
            X-Postfix-Sender: rfc822; orders@example.com
            Arrival-Date: Mon,  7 Dec 2026 19:00:00 +0000 (UTC)

            Final-Recipient: rfc822; slow@example.org
            Original-Recipient: rfc822;slow@example.org
            Action: delayed
            Status: 4.4.1
            Diagnostic-Code: X-Postfix; connect to mx.example.org[203.0.113.9]:25:
                Connection timed out
            Will-Retry-Until: Fri, 11 Dec 2026 19:00:00 +0000 (UTC)

            --7B2C91A55.1796684402/mail.example.com
            Content-Description: Undelivered Message Headers
            Content-Type: text/rfc822-headers

            """ + returned(ORIGINAL_ID, false) + """

            --7B2C91A55.1796684402/mail.example.com--
            """), "Delayed Mail (still being retried)", "auto-replied", """
            {"type": "delivery-status", "reportingMta": "mail.example.com", "reportingUa": null,
             "originalMessageId": "%s",
             "recipients": [{"finalRecipient": "slow@example.org", "originalRecipient": "slow@example.org",
               "action": "delayed", "status": "4.4.1",
               "diagnosticCode": "connect to mx.example.org[203.0.113.9]:25: Connection timed out",
               "remoteMta": null, "disposition": null}],
             "sentByMailbridge": null}
            """.formatted(ORIGINAL_ID), List.of(), """
            This is the mail system at host mail.example.com.

            ####################################################################
            # THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #
            ####################################################################
            """);

    /** Exim's bounce: Action before Final-Recipient, Status 5.0.0, the whole message returned. */
    public static final Report EXIM_BOUNCE = new Report("Exim bounce", crlf("""
            Return-path: <>
            X-Failed-Recipients: nobody@example.net
            Auto-Submitted: auto-generated
            From: Mail Delivery System <Mailer-Daemon@mx.example.org>
            To: orders@example.com
            Content-Type: multipart/report; report-type=delivery-status; boundary=1796680801-eximdsn-1804289383
            MIME-Version: 1.0
            Subject: Mail delivery failed: returning message to sender
            Message-Id: <E1kQ9aB-0004Xy-Cd@mx.example.org>
            Date: Mon, 07 Dec 2026 22:00:01 +0000

            --1796680801-eximdsn-1804289383
            Content-type: text/plain; charset=us-ascii

            This message was created automatically by mail delivery software.

            A message that you sent could not be delivered to one or more of its
            recipients. This is a permanent error. The following address(es) failed:

              nobody@example.net
                host mx.example.net [203.0.113.7]
                SMTP error from remote mail server after RCPT TO:<nobody@example.net>:
                550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown

            --1796680801-eximdsn-1804289383
            Content-type: message/delivery-status

            Reporting-MTA: dns; mx.example.org

            Action: failed
            Final-Recipient: rfc822;nobody@example.net
            Status: 5.0.0
            Remote-MTA: dns; mx.example.net
            Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown

            --1796680801-eximdsn-1804289383
            Content-type: message/rfc822

            """ + returned(ORIGINAL_ID, true) + """

            --1796680801-eximdsn-1804289383--
            """), "Mail delivery failed: returning message to sender", "auto-generated", """
            {"type": "delivery-status", "reportingMta": "mx.example.org", "reportingUa": null,
             "originalMessageId": "%s",
             "recipients": [{"finalRecipient": "nobody@example.net", "originalRecipient": null,
               "action": "failed", "status": "5.0.0",
               "diagnosticCode": "550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown",
               "remoteMta": "mx.example.net", "disposition": null}],
             "sentByMailbridge": null}
            """.formatted(ORIGINAL_ID), List.of(), """
            This message was created automatically by mail delivery software.

            A message that you sent could not be delivered to one or more of its
            recipients. This is a permanent error. The following address(es) failed:

              nobody@example.net
                host mx.example.net [203.0.113.7]
                SMTP error from remote mail server after RCPT TO:<nobody@example.net>:
                550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown
            """);

    /** Sendmail: upper-case types (RFC822;, DNS;, SMTP;), a comment in Auto-Submitted, two recipients, headers returned. */
    public static final Report SENDMAIL_BOUNCE = new Report("Sendmail bounce", crlf("""
            Return-Path: <MAILER-DAEMON>
            Date: Mon, 7 Dec 2026 22:00:03 GMT
            From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.com>
            Message-Id: <202612072200.2B7M03aZ012345@relay.example.com>
            To: <orders@example.com>
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status;
            	boundary="2B7M03aZ012345.1796680803/relay.example.com"
            Subject: Returned mail: see transcript for details
            Auto-Submitted: auto-generated (failure)

            This is a MIME-encapsulated message

            --2B7M03aZ012345.1796680803/relay.example.com

            The original message was received at Mon, 7 Dec 2026 22:00:00 GMT
            from localhost [127.0.0.1]

               ----- The following addresses had permanent fatal errors -----
            <nobody@example.net>
                (reason: 550 5.1.1 <nobody@example.net>... User unknown)
            <gone@example.net>
                (reason: 550 5.1.1 <gone@example.net>... User unknown)

            --2B7M03aZ012345.1796680803/relay.example.com
            Content-Type: message/delivery-status

            Reporting-MTA: dns; relay.example.com
            Received-From-MTA: DNS; localhost
            Arrival-Date: Mon, 7 Dec 2026 22:00:00 GMT

            Final-Recipient: RFC822; nobody@example.net
            Action: failed
            Status: 5.1.1
            Remote-MTA: DNS; mx.example.net
            Diagnostic-Code: SMTP; 550 5.1.1 <nobody@example.net>... User unknown
            Last-Attempt-Date: Mon, 7 Dec 2026 22:00:03 GMT

            Final-Recipient: RFC822; <gone@example.net>
            Action: failed
            Status: 5.1.1
            Remote-MTA: DNS; mx.example.net
            Diagnostic-Code: SMTP; 550 5.1.1 <gone@example.net>... User unknown
            Last-Attempt-Date: Mon, 7 Dec 2026 22:00:03 GMT

            --2B7M03aZ012345.1796680803/relay.example.com
            Content-Type: text/rfc822-headers

            """ + returned(ORIGINAL_ID, false) + """

            --2B7M03aZ012345.1796680803/relay.example.com--
            """), "Returned mail: see transcript for details", "auto-generated", """
            {"type": "delivery-status", "reportingMta": "relay.example.com", "reportingUa": null,
             "originalMessageId": "%s",
             "recipients": [{"finalRecipient": "nobody@example.net", "originalRecipient": null,
               "action": "failed", "status": "5.1.1",
               "diagnosticCode": "550 5.1.1 <nobody@example.net>... User unknown",
               "remoteMta": "mx.example.net", "disposition": null},
              {"finalRecipient": "gone@example.net", "originalRecipient": null,
               "action": "failed", "status": "5.1.1",
               "diagnosticCode": "550 5.1.1 <gone@example.net>... User unknown",
               "remoteMta": "mx.example.net", "disposition": null}],
             "sentByMailbridge": null}
            """.formatted(ORIGINAL_ID), List.of(), """
            The original message was received at Mon, 7 Dec 2026 22:00:00 GMT
            from localhost [127.0.0.1]

               ----- The following addresses had permanent fatal errors -----
            <nobody@example.net>
                (reason: 550 5.1.1 <nobody@example.net>... User unknown)
            <gone@example.net>
                (reason: 550 5.1.1 <gone@example.net>... User unknown)
            """);

    /** Exchange Online: a multipart/alternative human part, "rfc822;" without a space, status 5.1.10, no Auto-Submitted. */
    public static final Report EXCHANGE_NDR = new Report("Exchange Online NDR", crlf("""
            From: Microsoft Outlook <postmaster@contoso.onmicrosoft.com>
            To: <orders@example.com>
            Date: Mon, 7 Dec 2026 22:00:04 +0000
            Content-Type: multipart/report; report-type=delivery-status;
            	boundary="bb2d4e6f-0b1a-4c3e-9d5f-7a8b9c0d1e2f"
            Content-Language: en-US
            Message-ID: <7f1c0a2b-3d4e-4f5a-8b9c-0d1e2f3a4b5c@AM0PR01MB1234.eurprd01.prod.exchangelabs.com>
            In-Reply-To: %1$s
            References: %1$s
            Subject: Undeliverable: Your order 42
            MIME-Version: 1.0
            X-MS-Exchange-Message-Is-Ndr:

            --bb2d4e6f-0b1a-4c3e-9d5f-7a8b9c0d1e2f
            Content-Type: multipart/alternative; differences=Content-Type;
            	boundary="a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"

            --a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d
            Content-Type: text/plain; charset="us-ascii"
            Content-Transfer-Encoding: quoted-printable

            Your message to nobody@contoso.com couldn't be delivered.
            nobody wasn't found at contoso.com.

            --a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d
            Content-Type: text/html; charset="us-ascii"
            Content-Transfer-Encoding: quoted-printable

            <html><body><p>Your message to nobody@contoso.com couldn't be delivered.</p></body></html>

            --a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d--

            --bb2d4e6f-0b1a-4c3e-9d5f-7a8b9c0d1e2f
            Content-Type: message/delivery-status

            Reporting-MTA: dns;AM0PR01MB1234.eurprd01.prod.exchangelabs.com
            Received-From-MTA: dns;AM0PR01MB5678.eurprd01.prod.exchangelabs.com
            Arrival-Date: Mon, 7 Dec 2026 22:00:03 +0000

            Final-Recipient: rfc822;nobody@contoso.com
            Action: failed
            Status: 5.1.10
            Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient nobody@contoso.com not found by SMTP address lookup
            X-Display-Name: nobody

            --bb2d4e6f-0b1a-4c3e-9d5f-7a8b9c0d1e2f
            Content-Type: text/rfc822-headers

            """.formatted(ORIGINAL_ID) + returned(ORIGINAL_ID, false).replace("nobody@example.net", "nobody@contoso.com") + """

            --bb2d4e6f-0b1a-4c3e-9d5f-7a8b9c0d1e2f--
            """), "Undeliverable: Your order 42", "auto-generated", """
            {"type": "delivery-status", "reportingMta": "AM0PR01MB1234.eurprd01.prod.exchangelabs.com", "reportingUa": null,
             "originalMessageId": "%s",
             "recipients": [{"finalRecipient": "nobody@contoso.com", "originalRecipient": null,
               "action": "failed", "status": "5.1.10",
               "diagnosticCode": "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient nobody@contoso.com not found by SMTP address lookup",
               "remoteMta": null, "disposition": null}],
             "sentByMailbridge": null}
            """.formatted(ORIGINAL_ID), List.of(), """
            Your message to nobody@contoso.com couldn't be delivered.
            nobody wasn't found at contoso.com.
            """);

    /** Gmail: X-Original-Message-ID in the per-message fields, a comment after the Remote-MTA name, the message returned. */
    public static final Report GMAIL_BOUNCE = new Report("Gmail bounce", crlf("""
            Return-Path: <>
            From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
            To: orders@example.com
            Auto-Submitted: auto-replied
            Subject: Delivery Status Notification (Failure)
            References: %1$s
            In-Reply-To: %1$s
            X-Failed-Recipients: nobody@example.net
            Message-ID: <6571a3f0.050a0220.1c2d3.0000.GMR@mx.google.com>
            Date: Mon, 07 Dec 2026 14:00:05 -0800 (PST)
            MIME-Version: 1.0
            Content-Type: multipart/report; boundary="000000000000c0ffee0605d1e2f3"; report-type=delivery-status

            --000000000000c0ffee0605d1e2f3
            Content-Type: multipart/alternative; boundary="000000000000c0ffe10605d1e2f3"

            --000000000000c0ffe10605d1e2f3
            Content-Type: text/plain; charset="UTF-8"


            ** Address not found **

            Your message wasn't delivered to nobody@example.net because the address couldn't be found, or is unable to receive mail.

            --000000000000c0ffe10605d1e2f3
            Content-Type: text/html; charset="UTF-8"

            <html><body><h2>Address not found</h2></body></html>

            --000000000000c0ffe10605d1e2f3--

            --000000000000c0ffee0605d1e2f3
            Content-Type: message/delivery-status

            Reporting-MTA: dns; googlemail.com
            Arrival-Date: Mon, 07 Dec 2026 14:00:04 -0800 (PST)
            X-Original-Message-ID: %1$s

            Final-Recipient: rfc822; nobody@example.net
            Action: failed
            Status: 5.1.1
            Remote-MTA: dns; mx.example.net. (203.0.113.7, the server for the domain example.net.)
            Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown
            Last-Attempt-Date: Mon, 07 Dec 2026 14:00:05 -0800 (PST)

            --000000000000c0ffee0605d1e2f3
            Content-Type: message/rfc822

            """.formatted(ORIGINAL_ID) + returned(ORIGINAL_ID, true) + """

            --000000000000c0ffee0605d1e2f3--
            """), "Delivery Status Notification (Failure)", "auto-replied", """
            {"type": "delivery-status", "reportingMta": "googlemail.com", "reportingUa": null,
             "originalMessageId": "%s",
             "recipients": [{"finalRecipient": "nobody@example.net", "originalRecipient": null,
               "action": "failed", "status": "5.1.1",
               "diagnosticCode": "550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown",
               "remoteMta": "mx.example.net. (203.0.113.7, the server for the domain example.net.)", "disposition": null}],
             "sentByMailbridge": null}
            """.formatted(ORIGINAL_ID), List.of(), """

            ** Address not found **

            Your message wasn't delivered to nobody@example.net because the address couldn't be found, or is unable to receive mail.
            """);

    /** A read receipt (RFC 8098 section 9 style): one group of fields, Original-Message-ID, no returned headers. */
    public static final Report READ_RECEIPT = new Report("read receipt (MDN)", crlf("""
            Date: Tue, 8 Dec 2026 08:15:00 +0100
            From: Bob <bob@example.net>
            Message-Id: <mdn-7731@bob-laptop.example.net>
            Subject: Read: Your order 42
            To: orders@example.com
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=disposition-notification;
            	boundary="RAA14128.773615765/example.net"

            --RAA14128.773615765/example.net
            Content-Type: text/plain; charset=UTF-8

            The message sent on Mon, 7 Dec 2026 to Bob <bob@example.net> with subject
            "Your order 42" has been displayed.

            --RAA14128.773615765/example.net
            Content-Type: message/disposition-notification

            Reporting-UA: bob-laptop.example.net; Foomail 97.1
            Original-Recipient: rfc822;bob@example.net
            Final-Recipient: rfc822;bob@example.net
            Original-Message-ID: %s
            Disposition: manual-action/MDN-sent-manually; displayed

            --RAA14128.773615765/example.net--
            """.formatted(ORIGINAL_ID)), "Read: Your order 42", "auto-generated", """
            {"type": "disposition-notification", "reportingMta": null, "reportingUa": "bob-laptop.example.net; Foomail 97.1",
             "originalMessageId": "%s",
             "recipients": [{"finalRecipient": "bob@example.net", "originalRecipient": "bob@example.net",
               "action": null, "status": null, "diagnosticCode": null, "remoteMta": null, "disposition": "displayed"}],
             "sentByMailbridge": null}
            """.formatted(ORIGINAL_ID), List.of(), """
            The message sent on Mon, 7 Dec 2026 to Bob <bob@example.net> with subject
            "Your order 42" has been displayed.
            """);

    /** An internationalized report (RFC 6533): a UTF-8 address in a base64 message/global-delivery-status, message/global-headers. */
    public static final Report GLOBAL_DSN = new Report("internationalized report (RFC 6533)", crlf("""
            From: MAILER-DAEMON@mail.example.com (Mail Delivery System)
            Subject: Undelivered Mail Returned to Sender
            To: orders@example.com
            Auto-Submitted: auto-replied
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=global-delivery-status; boundary="g-1"

            --g-1
            Content-Type: text/plain; charset=us-ascii

            Your message could not be delivered.

            --g-1
            Content-Type: message/global-delivery-status
            Content-Transfer-Encoding: base64

            %s
            --g-1
            Content-Type: message/global-headers

            %s
            --g-1--
            """.formatted(Base64.getMimeEncoder().encodeToString(crlf("""
                    Reporting-MTA: dns; mail.example.com

                    Original-Recipient: utf-8;jos\u00e9@example.net
                    Final-Recipient: utf-8;jos\u00e9@example.net
                    Action: failed
                    Status: 5.1.1
                    """)), returned(ORIGINAL_ID, false))), "Undelivered Mail Returned to Sender", "auto-replied", """
            {"type": "delivery-status", "reportingMta": "mail.example.com", "reportingUa": null,
             "originalMessageId": "%s",
             "recipients": [{"finalRecipient": "jos\u00e9@example.net", "originalRecipient": "jos\u00e9@example.net",
               "action": "failed", "status": "5.1.1", "diagnosticCode": null, "remoteMta": null, "disposition": null}],
             "sentByMailbridge": null}
            """.formatted(ORIGINAL_ID), List.of(), "Your message could not be delivered.\n");

    /** An abuse report (RFC 5965): another report-type, so the type only and no warning. */
    public static final Report ABUSE_REPORT = new Report("abuse report (feedback-report)", crlf("""
            From: <abuse@isp.example>
            To: <abuse@example.com>
            Subject: FW: Your order 42
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=feedback-report;
            	boundary="part1_13d.2e68ed54_boundary"

            --part1_13d.2e68ed54_boundary
            Content-Type: text/plain; charset="US-ASCII"

            This is an email abuse report for an email message received from IP 192.0.2.1.

            --part1_13d.2e68ed54_boundary
            Content-Type: message/feedback-report

            Feedback-Type: abuse
            User-Agent: SomeGenerator/1.0
            Version: 1

            --part1_13d.2e68ed54_boundary
            Content-Type: text/rfc822-headers

            """ + returned(ORIGINAL_ID, false) + """

            --part1_13d.2e68ed54_boundary--
            """), "FW: Your order 42", "auto-generated", """
            {"type": "feedback-report", "reportingMta": null, "reportingUa": null, "originalMessageId": null,
             "recipients": [], "sentByMailbridge": null}
            """, List.of(), "This is an email abuse report for an email message received from IP 192.0.2.1.\n");

    /** A multipart/report with no parts at all: no boundary line in its body. */
    public static final Report NO_PARTS = new Report("multipart/report with no parts", crlf("""
            From: MAILER-DAEMON@mail.example.com
            Subject: Undelivered Mail Returned to Sender
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="never-used"

            The report was cut off here.
            """), "Undelivered Mail Returned to Sender", "auto-generated", """
            {"type": "delivery-status", "reportingMta": null, "reportingUa": null, "originalMessageId": null,
             "recipients": [], "sentByMailbridge": null}
            """, List.of("message: the multipart/report body cannot be split into parts (Missing start boundary); read as text/plain",
            "deliveryReport: the multipart/report cannot be split into parts (Missing start boundary); only its report-type is read"),
            "The report was cut off here.\n");

    /**
     * A damaged report as old gateways send it: no report-type, every field in one group, no Action, a Status
     * that is not a code, the returned headers without a Message-ID but an Original-Message-ID field.
     */
    public static final Report DAMAGED = new Report("damaged report", crlf("""
            From: postmaster@gateway.example.org
            Subject: Delivery failure
            MIME-Version: 1.0
            Content-Type: multipart/report; boundary="d-1"

            --d-1
            Content-Type: text/plain

            Could not deliver your message.

            --d-1
            Content-Type: message/delivery-status

            Reporting-MTA: dns; gateway.example.org
            Original-Message-ID: %s
            Final-Recipient: rfc822; <someone@example.net>
            Status: failed permanently

            --d-1
            Content-Type: text/rfc822-headers

            From: orders@example.com
            Subject: Your order 42

            --d-1--
            """.formatted(ORIGINAL_ID)), "Delivery failure", "auto-generated", """
            {"type": "delivery-status", "reportingMta": "gateway.example.org", "reportingUa": null,
             "originalMessageId": "%s",
             "recipients": [{"finalRecipient": "someone@example.net", "originalRecipient": null,
               "action": null, "status": "failed permanently", "diagnosticCode": null, "remoteMta": null, "disposition": null}],
             "sentByMailbridge": null}
            """.formatted(ORIGINAL_ID), List.of(
            "deliveryReport: the multipart/report has no report-type parameter; read as delivery-status from its message/delivery-status part",
            "deliveryReport: recipient 1 has no Action field",
            "deliveryReport: recipient 1 has Status \"failed permanently\", not a status code such as 5.1.1"),
            "Could not deliver your message.\n");

    /** report-type=delivery-status with only the human-readable part. */
    public static final Report NO_STATUS_PART = new Report("report without its status part", crlf("""
            From: MAILER-DAEMON@mail.example.com
            Subject: Undelivered Mail Returned to Sender
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="n-1"

            --n-1
            Content-Type: text/plain

            Your message to nobody@example.net could not be delivered.

            --n-1--
            """), "Undelivered Mail Returned to Sender", "auto-generated", """
            {"type": "delivery-status", "reportingMta": null, "reportingUa": null, "originalMessageId": null,
             "recipients": [], "sentByMailbridge": null}
            """, List.of("deliveryReport: the multipart/report (report-type=delivery-status) has no message/delivery-status part;"
            + " recipients is empty"), "Your message to nobody@example.net could not be delivered.\n");

    /** A vacation reply (RFC 3834): not a report, Auto-Submitted with a parameter. */
    public static final Report VACATION_REPLY = new Report("vacation auto-reply", crlf("""
            From: Bob <bob@example.net>
            To: orders@example.com
            Subject: Auto: Your order 42
            Auto-Submitted: Auto-Replied; owner-email="bob@example.net"
            In-Reply-To: %s
            MIME-Version: 1.0
            Content-Type: text/plain; charset=us-ascii

            I am away until 4 January.
            """.formatted(ORIGINAL_ID)), "Auto: Your order 42", "auto-replied", null, List.of(), "I am away until 4 January.\n");

    /** An Exchange out-of-office reply: no Auto-Submitted, X-Autoreply. */
    public static final Report OUT_OF_OFFICE = new Report("out-of-office with X-Autoreply", crlf("""
            From: Carol <carol@contoso.com>
            To: orders@example.com
            Subject: Automatic reply: Your order 42
            X-Autoreply: yes
            Precedence: bulk
            MIME-Version: 1.0
            Content-Type: text/plain; charset=us-ascii

            I am out of the office.
            """), "Automatic reply: Your order 42", "auto-replied", null, List.of(), "I am out of the office.\n");

    /** A list message a person wrote: Precedence: list alone is not an auto-reply, Auto-Submitted: no is a person. */
    public static final Report LIST_MAIL = new Report("list mail a person wrote", crlf("""
            From: Dave <dave@example.org>
            To: list@lists.example.org
            Subject: Re: release date
            Precedence: list
            Auto-Submitted: no
            MIME-Version: 1.0
            Content-Type: text/plain; charset=us-ascii

            Friday works for me.
            """), "Re: release date", null, null, List.of(), "Friday works for me.\n");

    public static final List<Report> ALL = List.of(POSTFIX_BOUNCE, POSTFIX_DELAY, EXIM_BOUNCE, SENDMAIL_BOUNCE, EXCHANGE_NDR,
            GMAIL_BOUNCE, READ_RECEIPT, GLOBAL_DSN, ABUSE_REPORT, NO_PARTS, DAMAGED, NO_STATUS_PART, VACATION_REPLY,
            OUT_OF_OFFICE, LIST_MAIL);

}
