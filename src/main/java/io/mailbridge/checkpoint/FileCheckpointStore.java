package io.mailbridge.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import java.io.StringReader;

import io.mailbridge.files.AtomicFiles;

/**
 * One properties file per (account, folder) under a directory, replaced atomically: written to a
 * temp file, fsynced, then renamed over the old one, so a crash leaves either the old or the new
 * checkpoint, never a torn one.
 */
public class FileCheckpointStore implements CheckpointStore {

    private final Path dir;

    public FileCheckpointStore(Path dir) {
        this.dir = dir;
    }


    @Override
    public Checkpoint load(String account, String folder) throws IOException {
        Path file = fileFor(account, folder);
        if (!Files.exists(file)) {
            return null;
        }
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        String date = p.getProperty("lastInternalDate", "");
        try {
            return new Checkpoint(Long.parseLong(p.getProperty("uidValidity")),
                    Long.parseLong(p.getProperty("lastUid")),
                    date.isEmpty() ? null : Instant.parse(date));
        } catch (RuntimeException e) {
            throw new IOException("Checkpoint file " + file + " is corrupt: " + e.getMessage(), e);
        }
    }

    @Override
    public void save(String account, String folder, Checkpoint checkpoint) throws IOException {
        Path file = fileFor(account, folder);
        String text = "# mailbridge checkpoint: every matching message up to lastUid was delivered\n"
                + "account=" + escape(account) + "\n"
                + "folder=" + escape(folder) + "\n"
                + "uidValidity=" + checkpoint.uidValidity() + "\n"
                + "lastUid=" + checkpoint.lastUid() + "\n"
                + "lastInternalDate=" + (checkpoint.lastInternalDate() == null ? "" : checkpoint.lastInternalDate()) + "\n";
        AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The change-event state: a second file beside the folder's checkpoint, replaced atomically too. */
    @Override
    public ChangeCheckpoint loadChanges(String account, String folder) throws IOException {
        Path file = changesFileFor(account, folder);
        if (!Files.exists(file)) {
            return null;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int body = text.indexOf("\n\n");
        Properties p = new Properties();
        p.load(new StringReader(body < 0 ? text : text.substring(0, body)));
        try {
            String modseq = p.getProperty("highestModSeq", "");
            return new ChangeCheckpoint(Long.parseLong(p.getProperty("uidValidity")),
                    modseq.isEmpty() ? null : Long.valueOf(modseq), body < 0 ? "" : text.substring(body + 2));
        } catch (RuntimeException e) {
            throw new IOException("Change state file " + file + " is corrupt: " + e.getMessage(), e);
        }
    }

    @Override
    public void saveChanges(String account, String folder, ChangeCheckpoint changes) throws IOException {
        String text = "# mailbridge change events: the messages delivered and the flags last reported for them\n"
                + "uidValidity=" + changes.uidValidity() + "\n"
                + "highestModSeq=" + (changes.highestModSeq() == null ? "" : changes.highestModSeq()) + "\n"
                + "\n" + changes.messages();
        AtomicFiles.write(changesFileFor(account, folder), text.getBytes(StandardCharsets.UTF_8));
    }

    Path changesFileFor(String account, String folder) {
        return dir.resolve(safe(account)).resolve(safe(folder) + ".changes");
    }

    /** File name readable by an operator, safe on any file system: unsafe characters are %-escaped. */
    Path fileFor(String account, String folder) {
        return dir.resolve(safe(account)).resolve(safe(folder) + ".checkpoint");
    }

    private static String safe(String name) {
        StringBuilder sb = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' || c == '@' || c == '+'
                    || (c == '.' && sb.length() > 0)) {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return sb.toString();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
