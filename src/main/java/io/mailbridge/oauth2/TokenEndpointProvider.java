package io.mailbridge.oauth2;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Tokens from an OAuth2 token endpoint (RFC 6749): the client-credentials grant (Microsoft 365
 * app-only access), or the refresh-token grant when a refresh token is configured. The token is
 * cached until shortly before it expires; a server that rejected it gets a new one at once.
 */
public class TokenEndpointProvider implements TokenProvider {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Used when the endpoint does not say how long a token lives (expires_in is only RECOMMENDED). */
    private static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

    private final URI tokenUrl;
    private final String clientId;
    private final String clientSecret;
    private final String initialRefreshToken;
    private final String scope;
    private final Duration refreshBefore;
    private final HttpClient http;
    private volatile String refreshToken;
    private String cached;
    private Instant cachedUntil = Instant.MIN;

    public TokenEndpointProvider(String tokenUrl, String clientId, String clientSecret, String refreshToken,
            String scope, Duration refreshBefore) {
        this.tokenUrl = URI.create(tokenUrl);
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.refreshToken = blankToNull(refreshToken);
        this.initialRefreshToken = this.refreshToken;
        this.scope = blankToNull(scope);
        this.refreshBefore = refreshBefore;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    }

    @Override
    public synchronized String token(boolean fresh) throws TokenException {
        if (!fresh && cached != null && Instant.now().isBefore(cachedUntil)) {
            return cached;
        }
        cached = null;
        JsonNode answer = request();
        String token = answer.path("access_token").asText("");
        if (token.isEmpty()) {
            throw new TokenException(describe() + " answered without an access_token", true);
        }
        long lifetime = answer.path("expires_in").asLong(DEFAULT_LIFETIME.toSeconds());
        if (!answer.path("refresh_token").asText("").isEmpty()) {
            refreshToken = answer.path("refresh_token").asText(); // providers may rotate it
        }
        cached = token;
        // renewed refreshBefore ahead of expiry, or at half-life for tokens shorter than that
        Duration margin = refreshBefore.compareTo(Duration.ofSeconds(lifetime / 2)) < 0 ? refreshBefore : Duration.ofSeconds(lifetime / 2);
        cachedUntil = Instant.now().plusSeconds(lifetime).minus(margin);
        return token;
    }

    /** The cached token when it is no longer the rejected one (another connection has replaced it), else a new one. */
    @Override
    public synchronized String replace(String rejected) throws TokenException {
        if (cached != null && !cached.equals(rejected) && Instant.now().isBefore(cachedUntil)) {
            return cached;
        }
        return token(true);
    }

    @Override
    public List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        for (String s : new String[] { clientSecret, initialRefreshToken, refreshToken }) {
            if (s != null && !s.isEmpty() && !secrets.contains(s)) {
                secrets.add(s);
            }
        }
        return secrets;
    }

    private JsonNode request() throws TokenException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", grant());
        if (refreshToken != null) {
            form.put("refresh_token", refreshToken);
        }
        form.put("client_id", clientId);
        if (clientSecret != null && !clientSecret.isEmpty()) {
            form.put("client_secret", clientSecret);
        }
        if (scope != null) {
            form.put("scope", scope);
        }
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(tokenUrl).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new TokenException(Secrets.redact(describe() + " unreachable: " + e, secrets()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenException("interrupted while asking " + describe(), e);
        }
        JsonNode answer = parse(response.body());
        if (response.statusCode() != 200) {
            // an endpoint may echo the request (client_secret=..., refresh_token=...): its words go out without them
            throw new TokenException(Secrets.redact(describe() + " refused the " + grant() + " grant: HTTP " + response.statusCode()
                    + " " + providerError(answer, Secrets.redact(response.body(), secrets())), secrets()), true);
        }
        return answer;
    }

    /**
     * RFC 6749 §5.2 error and error_description, else up to 200 characters of the body on one line;
     * {@code body} comes with the secrets already taken out (before it is cut, so no part of one is left).
     */
    private static String providerError(JsonNode answer, String body) {
        if (answer.has("error")) {
            String description = answer.path("error_description").asText("");
            return oneLine(answer.path("error").asText() + (description.isEmpty() ? "" : " (" + description + ")"));
        }
        String text = oneLine(body == null ? "" : body);
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private String grant() {
        return refreshToken != null ? "refresh_token" : "client_credentials";
    }

    @Override
    public String describe() {
        return "token endpoint " + tokenUrl + " (client " + clientId + ")";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
