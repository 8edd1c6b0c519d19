package io.mailbridge.record;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;

import jakarta.mail.internet.SharedInputStream;

/**
 * A spooled message read in place, like Jakarta Mail's {@code SharedFileInputStream} but with no buffer
 * until a stream is read and none after it is closed. Jakarta Mail keeps one sub-stream per MIME part
 * (its content), and {@code SharedFileInputStream} gives each 10 KiB of buffers when it is made (its own
 * 2 KiB and its superclass's 8 KiB): a message of 100,000 small parts needed 1 GB and ran out of a
 * 256 MB heap, where the same bytes in memory fit. A part's content stream is only ever the source of
 * new streams, so here it costs a few fields. Without locks, as {@link UnsyncSharedBytes}: a record is
 * parsed by one thread (a spooled 60 MB attachment maps in 0.6 s instead of 2.6 s). The stream from
 * {@link #open} owns the file and closes it; the streams made from it read nothing after that.
 */
final class UnsyncSharedFile extends InputStream implements SharedInputStream {

    private static final int BUFFER = 8192;

    private final RandomAccessFile file;
    private final boolean owner;
    /** the bytes of the file this stream covers */
    private final long start;
    private final long length;
    /** positions relative to start */
    private long pos;
    private long mark;
    private byte[] buf;
    private long bufStart;
    private int bufLength;

    private UnsyncSharedFile(RandomAccessFile file, boolean owner, long start, long length) {
        this.file = file;
        this.owner = owner;
        this.start = start;
        this.length = length;
    }

    static UnsyncSharedFile open(File f) throws IOException {
        RandomAccessFile file = new RandomAccessFile(f, "r");
        return new UnsyncSharedFile(file, true, 0, file.length());
    }

    @Override
    public int read() throws IOException {
        if (pos >= length) {
            return -1;
        }
        if (buf == null || pos < bufStart || pos >= bufStart + bufLength) {
            fill();
        }
        return buf[(int) (pos++ - bufStart)] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (pos >= length) {
            return -1;
        }
        int n = (int) Math.min(len, length - pos);
        if (buf != null && pos >= bufStart && pos < bufStart + bufLength) {
            n = Math.min(n, (int) (bufStart + bufLength - pos)); // what the buffer holds first
            System.arraycopy(buf, (int) (pos - bufStart), b, off, n);
        } else if (n >= BUFFER) {
            n = readAt(pos, b, off, n); // a bulk read needs no copy through the buffer
        } else {
            fill();
            n = Math.min(n, bufLength);
            System.arraycopy(buf, 0, b, off, n);
        }
        pos += n;
        return n;
    }

    private void fill() throws IOException {
        if (buf == null) {
            buf = new byte[BUFFER];
        }
        bufStart = pos;
        bufLength = readAt(pos, buf, 0, (int) Math.min(BUFFER, length - pos));
    }

    /** Reads what the file holds at that position, at least one byte; the file may have shrunk underneath. */
    private int readAt(long at, byte[] b, int off, int len) throws IOException {
        file.seek(start + at); // the file is shared with the other streams: every read says where
        int n = file.read(b, off, len);
        if (n <= 0) {
            throw new IOException("the spooled message ended early, at byte " + (start + at));
        }
        return n;
    }

    @Override
    public long skip(long n) {
        long k = Math.max(0, Math.min(n, length - pos));
        pos += k;
        return k;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, length - pos);
    }

    @Override
    public boolean markSupported() {
        return true;
    }

    @Override
    public void mark(int readLimit) {
        mark = pos; // every byte can be read again: no limit
    }

    @Override
    public void reset() {
        pos = mark;
    }

    @Override
    public long getPosition() {
        return pos;
    }

    @Override
    public InputStream newStream(long from, long to) {
        if (from < 0) {
            throw new IllegalArgumentException("start < 0");
        }
        long end = to == -1 ? length : to;
        return new UnsyncSharedFile(file, false, start + from, end - from);
    }

    @Override
    public void close() throws IOException {
        buf = null;
        if (owner) {
            file.close();
        }
    }
}
