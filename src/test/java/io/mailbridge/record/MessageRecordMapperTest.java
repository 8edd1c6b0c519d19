package io.mailbridge.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.mailbridge.component.MailbridgeHeaders;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** Body text in records: decoded with the declared charset, line ends as LF, nothing else changed. */
class MessageRecordMapperTest {

    private final CamelContext context = new DefaultCamelContext();
    private final MessageRecordMapper mapper = new MessageRecordMapper();

    private MessageRecord map(String headers, byte[] body) throws Exception {
        byte[] head = (headers.replace("\n", "\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] raw = new byte[head.length + body.length];
        System.arraycopy(head, 0, raw, 0, head.length);
        System.arraycopy(body, 0, raw, head.length, body.length);
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(raw);
        exchange.getMessage().setHeader(MailbridgeHeaders.KEY, "a/INBOX/1/1");
        mapper.process(exchange);
        return exchange.getMessage().getBody(MessageRecord.class);
    }

    private static String textHeaders(String charset, String cte) {
        return "From: a@example.com\nSubject: t\nContent-Type: text/plain; charset=" + charset
                + "\nContent-Transfer-Encoding: " + cte + "\n";
    }

    @Test
    void crlfBecomesLfButALoneCrAndATrailingCrStay() throws Exception {
        byte[] body = "line one\r\nline two\rstill two\r\n\r\nlast\r".getBytes(StandardCharsets.UTF_8);
        assertEquals("line one\nline two\rstill two\n\nlast\r", map(textHeaders("utf-8", "8bit"), body).text());
    }

    @Test
    void eightBitCharsetsAreDecodedAsDeclared() throws Exception {
        String text = "Grüße aus Köln\r\n€ 5\r\n";
        assertEquals("Grüße aus Köln\n€ 5\n",
                map(textHeaders("utf-8", "8bit"), text.getBytes(StandardCharsets.UTF_8)).text());
        assertEquals("Grüße aus Köln\n€ 5\n",
                map(textHeaders("windows-1252", "8bit"), text.getBytes(Charset.forName("windows-1252"))).text());
        String latin = "Grüße\r\n";
        assertEquals("Grüße\n",
                map(textHeaders("iso-8859-15", "8bit"), latin.getBytes(Charset.forName("ISO-8859-15"))).text());
    }

    @Test
    void utf16TextKeepsItsCharactersWhenLineEndsAreNormalised() throws Exception {
        // in UTF-16, CR LF are 00 0D 00 0A: stripping 0x0D bytes would corrupt it, so this takes the String path
        String text = "a\r\n\u0D0A\r\nz";
        byte[] encoded = Base64.getMimeEncoder().encode(text.getBytes(StandardCharsets.UTF_16BE));
        assertEquals("a\n\u0D0A\nz", map(textHeaders("utf-16be", "base64"), encoded).text());
    }

    @Test
    void referencesAreSplitOnFoldingWhitespaceAndCommas() throws Exception {
        MessageRecord record = map("From: a@example.com\nSubject: re\nReferences: <a@x>\n <b@x>,<c@x>\t<d@x>\n",
                "body\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(java.util.List.of("<a@x>", "<b@x>", "<c@x>", "<d@x>"), record.references());
    }
}
