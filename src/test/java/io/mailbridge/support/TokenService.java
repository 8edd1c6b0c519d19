package io.mailbridge.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A small OAuth2 authorization server on loopback: {@code POST /token} issues access tokens with the
 * client-credentials grant, {@code POST /introspect} (RFC 7662) tells Dovecot whether a token is
 * active and whose it is. Tests can expire every token issued so far or revoke a client.
 */
public final class TokenService implements AutoCloseable {

    private record Client(String secret, String user) {
    }

    private final HttpServer server;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, String> activeTokens = new ConcurrentHashMap<>(); // token -> user
    private final Map<String, Long> expiresAt = new ConcurrentHashMap<>(); // token -> epoch millis
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>(); // refresh token -> client id
    private volatile long expiresIn = 3600;
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicInteger introspections = new AtomicInteger();
    private final AtomicInteger inactiveAnswers = new AtomicInteger();
    private final AtomicInteger tokenRefusals = new AtomicInteger();
    private volatile boolean echoErrors;
    private final java.util.List<String> allIssued = new java.util.concurrent.CopyOnWriteArrayList<>();

    private TokenService(HttpServer server) {
        this.server = server;
    }

    public static TokenService start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        TokenService service = new TokenService(server);
        server.createContext("/token", service::token);
        server.createContext("/introspect", service::introspect);
        server.start();
        return service;
    }

    /** A client whose client-credentials tokens log in as {@code user}. */
    public void addClient(String clientId, String secret, String user) {
        clients.put(clientId, new Client(secret, user));
    }

    /** A refresh token (as from a consent flow) that gets tokens of the client's user with the refresh-token grant. */
    public void addRefreshToken(String refreshToken, String clientId) {
        refreshTokens.put(refreshToken, clientId);
    }

    /** The expires_in of tokens issued from now on; introspection calls them inactive once it has passed. */
    public void expiresIn(long seconds) {
        expiresIn = seconds;
    }

    /**
     * From now on {@code POST /token} answers every request with {@code 400} and a text/plain body that
     * echoes the request, as a misconfigured proxy or a debugging endpoint may: client_secret=... and all.
     */
    public void echoErrors(boolean echo) {
        echoErrors = echo;
    }

    /** Introspections answered "not active": each one a login the server refused (Dovecot asks on every login). */
    public int inactiveAnswers() {
        return inactiveAnswers.get();
    }

    /** Token requests answered with an error (every status but 200). */
    public int tokenRefusals() {
        return tokenRefusals.get();
    }

    public String tokenUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    public String introspectUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/introspect";
    }

    /** Every token issued so far stops being active, as if they had expired. */
    public void expireAll() {
        activeTokens.clear();
    }

    /** The client gets no more tokens, and its tokens stop being active. */
    public void revoke(String clientId) {
        revoked.add(clientId);
        Client c = clients.get(clientId);
        activeTokens.values().removeIf(user -> c != null && user.equals(c.user()));
    }

    /** The client may get tokens again. */
    public void restore(String clientId) {
        revoked.remove(clientId);
    }

    public int issued() {
        return issued.get();
    }

    /** Every access token handed out so far. */
    public java.util.List<String> tokens() {
        return java.util.List.copyOf(allIssued);
    }

    public int introspections() {
        return introspections.get();
    }

    private void token(HttpExchange ex) throws IOException {
        if (echoErrors) {
            String request = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            tokenRefusals.incrementAndGet();
            byte[] bytes = ("Bad Request\n\nwe received:\n" + request + "\n").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain");
            ex.sendResponseHeaders(400, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
            return;
        }
        Map<String, String> form = form(ex);
        String id = form.getOrDefault("client_id", "");
        Client client = clients.get(id);
        String grant = form.get("grant_type");
        if ("refresh_token".equals(grant) && !id.equals(refreshTokens.get(form.getOrDefault("refresh_token", "")))) {
            reply(ex, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"unknown refresh token\"}");
        } else if (!"client_credentials".equals(grant) && !"refresh_token".equals(grant)) {
            reply(ex, 400, "{\"error\":\"unsupported_grant_type\"}");
        } else if (client == null || !client.secret().equals(form.get("client_secret"))) {
            reply(ex, 401, "{\"error\":\"invalid_client\",\"error_description\":\"unknown client or wrong secret\"}");
        } else if (revoked.contains(id)) {
            reply(ex, 401, "{\"error\":\"invalid_client\",\"error_description\":\"client " + id + " has been revoked\"}");
        } else {
            String token = "at-" + issued.incrementAndGet() + "-" + java.util.UUID.randomUUID();
            activeTokens.put(token, client.user());
            expiresAt.put(token, System.currentTimeMillis() + expiresIn * 1000);
            allIssued.add(token);
            reply(ex, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}");
        }
    }

    private void introspect(HttpExchange ex) throws IOException {
        introspections.incrementAndGet();
        String token = form(ex).getOrDefault("token", "");
        String user = activeTokens.get(token);
        if (user != null && System.currentTimeMillis() >= expiresAt.getOrDefault(token, Long.MAX_VALUE)) {
            user = null; // expired
        }
        if (user == null) {
            inactiveAnswers.incrementAndGet();
        }
        reply(ex, 200, user == null ? "{\"active\":\"false\"}" : "{\"active\":\"true\",\"username\":\"" + user + "\"}");
    }

    private static Map<String, String> form(HttpExchange ex) throws IOException {
        Map<String, String> out = new HashMap<>();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private void reply(HttpExchange ex, int status, String json) throws IOException {
        if (status != 200 && ex.getRequestURI().getPath().equals("/token")) {
            tokenRefusals.incrementAndGet();
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
