package io.mailbridge.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Attachment sizes and SHA-256 come from this decoder; it must agree with the JDK on every layout. */
class Base64BlocksTest {

    private static byte[] decode(byte[] encoded, int readSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // a stream that hands out at most readSize bytes per read, so quanta and lines straddle reads
        InputStream in = new ByteArrayInputStream(encoded) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, readSize));
            }
        };
        Base64Blocks.Decoded decoded = Base64Blocks.decode(in, b -> out.write(b.array(), b.arrayOffset() + b.position(), b.remaining()));
        assertEquals(out.size(), decoded.size(), "returned count");
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 57, 58, 59, 65535, 65536, 200_000, 300_001})
    void decodesMimeLinesOfEveryLengthAcrossReadBoundaries(int size) throws IOException {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        byte[] crlf = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encode(data);
        byte[] lf = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encode(data);
        byte[] oneLine = Base64.getEncoder().encode(data);
        for (int readSize : new int[] {65536, 4093, 7}) {
            assertArrayEquals(data, decode(crlf, readSize), "CRLF lines, reads of " + readSize);
            assertArrayEquals(data, decode(lf, readSize), "LF lines, reads of " + readSize);
            assertArrayEquals(data, decode(oneLine, readSize), "one line, reads of " + readSize);
        }
    }

    @Test
    void ignoresSpacesAndATrailingLineBreakAndDecodesAnUnpaddedTail() throws IOException {
        String text = "Hello, mailbridge!!"; // 19 bytes: the encoding ends in a single '='
        String encoded = Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
        String spaced = " " + encoded.substring(0, 10) + " \t\r\n" + encoded.substring(10) + "\r\n\r\n";
        assertEquals(text, new String(decode(spaced.getBytes(StandardCharsets.US_ASCII), 65536), StandardCharsets.US_ASCII));
        String unpadded = encoded.replace("=", "");
        assertEquals(text, new String(decode(unpadded.getBytes(StandardCharsets.US_ASCII), 3), StandardCharsets.US_ASCII));
    }

    @Test
    void paddingInTheMiddleIsAnError() {
        byte[] bad = "QUJD=QUJD".getBytes(StandardCharsets.US_ASCII);
        assertThrows(IOException.class, () -> decode(bad, 65536));
    }
}
