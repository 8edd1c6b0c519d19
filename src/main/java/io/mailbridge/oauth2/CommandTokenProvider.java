package io.mailbridge.oauth2;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command that prints a token on its first line of output (e.g. {@code gcloud auth print-access-token}
 * or a script doing Google's JWT-bearer grant). Run through {@code sh -c} on every connect; the
 * command does its own caching if it needs any.
 */
public class CommandTokenProvider implements TokenProvider {

    private static final long TIMEOUT_SECONDS = 60;

    private final String command;

    public CommandTokenProvider(String command) {
        this.command = command;
    }

    @Override
    public String token(boolean fresh) throws TokenException {
        try {
            Process p = new ProcessBuilder(List.of("sh", "-c", command)).redirectErrorStream(false).start();
            p.getOutputStream().close();
            // both streams read alongside, so a chatty command never blocks on a full pipe and a hung one times out
            var stdout = java.util.concurrent.CompletableFuture.supplyAsync(() -> readQuietly(p.getInputStream()));
            var stderr = java.util.concurrent.CompletableFuture.supplyAsync(() -> readQuietly(p.getErrorStream()));
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new TokenException("token-command did not finish within " + TIMEOUT_SECONDS + " s");
            }
            String out = stdout.join();
            String err = stderr.join().replaceAll("\\s+", " ").trim(); // one log line
            String token = out.lines().findFirst().orElse("").trim();
            if (p.exitValue() != 0 || token.isEmpty()) {
                throw new TokenException("token-command exited with " + p.exitValue()
                        + (token.isEmpty() ? " and printed no token" : "") + (err.isEmpty() ? "" : ": " + err), true);
            }
            return token;
        } catch (IOException e) {
            throw new TokenException("token-command could not be run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenException("interrupted while waiting for token-command", e);
        }
    }

    private static String readQuietly(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public String describe() {
        return "token-command";
    }
}
