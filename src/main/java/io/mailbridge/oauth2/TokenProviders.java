package io.mailbridge.oauth2;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Builds the token provider an account's {@code oauth2.*} keys describe: {@code token-url} (with
 * {@code client-id}, {@code client-secret}, optional {@code refresh-token} and {@code scope}),
 * {@code token-file}, or {@code token-command}. Exactly one of the three.
 */
public final class TokenProviders {

    public static final String TOKEN_URL = "oauth2.token-url";
    public static final String CLIENT_ID = "oauth2.client-id";
    public static final String CLIENT_SECRET = "oauth2.client-secret";
    public static final String REFRESH_TOKEN = "oauth2.refresh-token";
    public static final String SCOPE = "oauth2.scope";
    public static final String TOKEN_FILE = "oauth2.token-file";
    public static final String TOKEN_COMMAND = "oauth2.token-command";
    /** Every oauth2.* key suffix an account (or mail.imap, mail.smtp) takes. */
    public static final List<String> KEYS = List.of(TOKEN_URL, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, SCOPE, TOKEN_FILE,
            TOKEN_COMMAND);

    private TokenProviders() {
    }

    /**
     * @param value     relative key (e.g. {@code oauth2.token-url}) to its value, "" when unset
     * @param keyOf     relative key to the full key name, for error messages
     */
    public static TokenProvider create(Function<String, String> value, Function<String, String> keyOf, Duration refreshBefore) {
        List<String> problems = problems(value, keyOf);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        if (!value.apply(TOKEN_URL).isEmpty()) {
            return new TokenEndpointProvider(value.apply(TOKEN_URL), value.apply(CLIENT_ID), value.apply(CLIENT_SECRET),
                    value.apply(REFRESH_TOKEN), value.apply(SCOPE), refreshBefore);
        }
        if (!value.apply(TOKEN_FILE).isEmpty()) {
            return new FileTokenProvider(Path.of(value.apply(TOKEN_FILE)));
        }
        return new CommandTokenProvider(value.apply(TOKEN_COMMAND));
    }

    /** A provider for logins that use the password: asking it is an error that says so. */
    public static TokenProvider none(String why) {
        return new TokenProvider() {
            @Override
            public String token(boolean fresh) throws TokenException {
                throw new TokenException(why);
            }

            @Override
            public String describe() {
                return "none (" + why + ")";
            }
        };
    }

    /** What is wrong with the oauth2 keys, each naming its key; empty when a provider can be built. */
    public static List<String> problems(Function<String, String> value, Function<String, String> keyOf) {
        List<String> problems = new ArrayList<>();
        long sources = List.of(TOKEN_URL, TOKEN_FILE, TOKEN_COMMAND).stream().filter(k -> !value.apply(k).isEmpty()).count();
        if (sources != 1) {
            problems.add("auth=oauth2 needs exactly one of " + keyOf.apply(TOKEN_URL) + ", " + keyOf.apply(TOKEN_FILE)
                    + ", " + keyOf.apply(TOKEN_COMMAND) + (sources == 0 ? " (none is set)" : " (several are set)"));
        }
        String url = value.apply(TOKEN_URL);
        if (!url.isEmpty()) {
            if (!url.startsWith("https://") && !url.startsWith("http://")) {
                problems.add(keyOf.apply(TOKEN_URL) + " = '" + url + "': not an http(s) URL");
            }
            if (value.apply(CLIENT_ID).isEmpty()) {
                problems.add(keyOf.apply(CLIENT_ID) + " is not set (needed with " + keyOf.apply(TOKEN_URL) + ")");
            }
        }
        return problems;
    }
}
