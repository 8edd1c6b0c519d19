package io.mailbridge.sink;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A sink for tests ({@code mail.sink.uri=class:io.mailbridge.sink.RefusingSink}) that takes every
 * record except one whose JSON contains "refuse me", which it refuses for good, as a broker refuses
 * a record that is too large.
 */
public class RefusingSink {

    public static final List<String> TAKEN = new CopyOnWriteArrayList<>();

    public void take(byte[] recordJson) throws RecordRefusedException {
        String json = new String(recordJson, StandardCharsets.UTF_8);
        if (json.contains("refuse me")) {
            throw new RecordRefusedException("record of " + recordJson.length + " bytes exceeds the broker's limit of 100 bytes");
        }
        TAKEN.add(json);
    }
}
