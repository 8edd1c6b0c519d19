package io.mailbridge.outbound;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.mailbridge.files.AtomicFiles;

/**
 * The Message-IDs already accepted by the SMTP server, one small file each under a directory,
 * written atomically: a request whose Message-ID is here is not sent again, even after a restart.
 */
public class FileSentLedger implements SentLedger {

    private final Path dir;

    public FileSentLedger(Path dir) {
        this.dir = dir;
    }

    @Override
    public boolean contains(String messageId) {
        return Files.exists(fileFor(messageId));
    }

    @Override
    public String sentRecord(String messageId) throws IOException {
        try {
            return Files.readString(fileFor(messageId), StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public void record(String messageId, String sentRecordJson) throws IOException {
        AtomicFiles.write(fileFor(messageId), sentRecordJson.getBytes(StandardCharsets.UTF_8));
    }

    private Path fileFor(String messageId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(messageId.getBytes(StandardCharsets.UTF_8));
            String hex = HexFormat.of().formatHex(hash);
            return dir.resolve(hex.substring(0, 2)).resolve(hex + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
