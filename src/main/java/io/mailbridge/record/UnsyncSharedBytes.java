package io.mailbridge.record;

import java.io.InputStream;
import java.util.Objects;

import jakarta.mail.util.SharedByteArrayInputStream;

/**
 * A {@link SharedByteArrayInputStream} without the locks. Jakarta Mail's multipart parser finds a
 * boundary with Boyer-Moore steps of boundary length, each a mark, read, reset and skip on this
 * stream: ~50,000 synchronized calls for a 200 KB attachment. A record is parsed by one thread,
 * so the locks buy nothing. Sub-streams (the MIME parts) are of this class too.
 */
final class UnsyncSharedBytes extends SharedByteArrayInputStream {

    UnsyncSharedBytes(byte[] buf) {
        super(buf);
    }

    private UnsyncSharedBytes(byte[] buf, int offset, int length) {
        super(buf, offset, length);
    }

    @Override
    public int read() {
        return pos < count ? buf[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (pos >= count) {
            return -1;
        }
        int n = Math.min(len, count - pos);
        if (n <= 0) {
            return 0;
        }
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long k = count - pos;
        if (n < k) {
            k = n < 0 ? 0 : n;
        }
        pos += (int) k;
        return k;
    }

    @Override
    public int available() {
        return count - pos;
    }

    @Override
    public void mark(int readAheadLimit) {
        mark = pos;
    }

    @Override
    public void reset() {
        pos = mark;
    }

    /** {@link HeaderScan} of the bytes from the current position, read in place. */
    HeaderScan scanHeaders(boolean envelopeAllowed) {
        return HeaderScan.scan(buf, pos, count - pos, envelopeAllowed);
    }

    @Override
    public InputStream newStream(long start, long end) {
        if (start < 0) {
            throw new IllegalArgumentException("start < 0");
        }
        if (end == -1) {
            end = count - this.start;
        }
        return new UnsyncSharedBytes(buf, this.start + (int) start, (int) (end - start));
    }
}
