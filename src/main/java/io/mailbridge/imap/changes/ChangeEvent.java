package io.mailbridge.imap.changes;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbridge.component.MailbridgeHeaders;

/**
 * One change of a message after it was delivered as a record: schema {@code mailbridge.change/1}
 * (docs/record-schema.md). {@code flags} is null for an expunge; {@code modseq} null without CONDSTORE.
 */
public record ChangeEvent(String account, String folder, long uidValidity, long uid, Kind change, List<String> flags,
        Long modseq, Instant seenAt) {

    public static final String SCHEMA = "mailbridge.change/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Kind {
        FLAGS, EXPUNGED;

        public String word() {
            return name().toLowerCase();
        }
    }

    /** The record's key: a consumer joins the change to the record by it. */
    public String key() {
        return MailbridgeHeaders.recordKey(account, folder, uidValidity, uid);
    }

    /**
     * Unique per event, and distinct from every record key: names the file in a directory sink and the message id
     * on a broker ({@code <key>.flags.<modseq>}, {@code <key>.flags.t<epoch ms>} without CONDSTORE, {@code <key>.expunged}).
     */
    public String eventId() {
        return switch (change) {
            case EXPUNGED -> key() + ".expunged";
            case FLAGS -> key() + ".flags." + (modseq != null ? modseq.toString() : "t" + seenAt.toEpochMilli());
        };
    }

    public String json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", SCHEMA);
        doc.put("key", key());
        doc.put("account", account);
        doc.put("folder", folder);
        doc.put("uidValidity", uidValidity);
        doc.put("uid", uid);
        doc.put("change", change.word());
        doc.put("flags", change == Kind.FLAGS ? flags : null);
        doc.put("modseq", modseq);
        doc.put("seenAt", seenAt.toString());
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
