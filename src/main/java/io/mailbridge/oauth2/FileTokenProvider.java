package io.mailbridge.oauth2;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A token that another tool keeps current in a file (first line). Read on every connect, so a
 * token rewritten by that tool is picked up without a restart.
 */
public class FileTokenProvider implements TokenProvider {

    private final Path file;

    public FileTokenProvider(Path file) {
        this.file = file;
    }

    @Override
    public String token(boolean fresh) throws TokenException {
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("").trim();
            if (token.isEmpty()) {
                throw new TokenException("token file " + file + " is empty");
            }
            return token;
        } catch (IOException e) {
            throw new TokenException("token file " + file + " cannot be read: " + e, e);
        }
    }

    @Override
    public String describe() {
        return "token-file " + file;
    }
}
