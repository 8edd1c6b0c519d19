package io.mailbridge.oauth2;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes an account's secrets (password, client secret, refresh token) out of a text before it is
 * logged or reported: as sent (raw), form-encoded (as in a token request an endpoint echoes, either
 * case of hex digits), and JSON-escaped.
 */
public final class Secrets {

    /** What a secret becomes. */
    public static final String MASK = "****";

    private Secrets() {
    }

    public static String redact(String text, Collection<String> secrets) {
        if (text == null || text.isEmpty() || secrets.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : secrets) {
            if (secret == null || secret.isEmpty()) {
                continue;
            }
            for (String form : forms(secret)) {
                // %2f and %2F alike
                int flags = form.contains("%") ? Pattern.CASE_INSENSITIVE : 0;
                out = Pattern.compile(Pattern.quote(form), flags).matcher(out).replaceAll(Matcher.quoteReplacement(MASK));
            }
        }
        return out;
    }

    private static Set<String> forms(String secret) {
        Set<String> forms = new LinkedHashSet<>();
        String form = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        forms.add(form);
        forms.add(form.replace("+", "%20"));
        forms.add(secret.replace("\\", "\\\\").replace("\"", "\\\"").replace("/", "\\/"));
        forms.add(secret.replace("\\", "\\\\").replace("\"", "\\\""));
        forms.add(secret);
        return forms;
    }
}
