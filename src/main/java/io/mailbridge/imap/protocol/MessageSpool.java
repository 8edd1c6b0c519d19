package io.mailbridge.imap.protocol;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.List;

import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.imap.IMAPFolder;

/**
 * Fetches a message too large to hold in memory piece by piece into a temp file, which the
 * {@link FetchedMessage} deletes once its exchange is done.
 */
public final class MessageSpool {

    static final int PIECE_BYTES = 1024 * 1024;

    private MessageSpool() {
    }

    public static FetchedMessage spool(IMAPFolder folder, long uid) throws MessagingException, IOException {
        File file = File.createTempFile("mailbridge-" + uid + "-", ".eml");
        file.deleteOnExit();
        FetchedMessage head;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file.toPath()))) {
            head = copyPieces(folder, uid, out);
        } catch (MessagingException | IOException | RuntimeException e) {
            Files.deleteIfExists(file.toPath());
            throw e;
        }
        if (head == null) {
            Files.deleteIfExists(file.toPath()); // expunged meanwhile
            return new FetchedMessage(uid, List.of(), null, 0, new byte[0], null);
        }
        return new FetchedMessage(uid, head.flags(), head.internalDate(), head.size(), null, file);
    }

    /** Writes the message's bytes to out; returns its first piece (flags, date, size), or null if it is gone. */
    private static FetchedMessage copyPieces(IMAPFolder folder, long uid, OutputStream out) throws MessagingException, IOException {
        FetchedMessage head = null;
        long offset = 0;
        while (true) {
            List<FetchedMessage> piece = UidCommands.fetchPiece(folder, uid, offset, PIECE_BYTES);
            if (piece.isEmpty()) {
                return head;
            }
            if (head == null) {
                head = piece.get(0);
            }
            byte[] bytes = piece.get(0).content();
            out.write(bytes);
            offset += bytes.length;
            if (bytes.length < PIECE_BYTES) {
                return head;
            }
        }
    }
}
