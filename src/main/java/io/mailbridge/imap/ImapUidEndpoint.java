package io.mailbridge.imap;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.mailbridge.checkpoint.CheckpointStore;
import io.mailbridge.checkpoint.InMemoryCheckpointStore;
import io.mailbridge.oauth2.MailLogin;
import io.mailbridge.oauth2.TokenProvider;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.ScheduledPollEndpoint;

/**
 * Reads IMAP folders by UID. Options mirror the {@code mail.imap.*} keys of application.properties.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "mailbridge-imap", title = "mailbridge IMAP by UID",
        syntax = "mailbridge-imap:host:port", consumerOnly = true, category = { Category.MAIL })
public class ImapUidEndpoint extends ScheduledPollEndpoint {

    @UriPath
    @Metadata(required = true, description = "IMAP server host name")
    private String host;
    @UriParam(description = "IMAP port; 0 means 143, or 993 with ssl")
    private int port;
    @UriParam(description = "Login user name")
    private String username;
    @UriParam(description = "Login password", secret = true)
    private String password;
    @UriParam(description = "Connect with implicit TLS (imaps)")
    private boolean ssl;
    @UriParam(description = "Upgrade a plain connection with STARTTLS (required when true)")
    private boolean starttls;
    @UriParam(description = "Hosts whose TLS certificate is trusted without checks (mail.imap.ssl.trust); test servers only")
    private String sslTrust;
    @UriParam(description = "Name of the account in record keys; default username@host")
    private String account;
    @UriParam(defaultValue = "INBOX", description = "Comma-separated folders to read")
    private String folders = "INBOX";
    @UriParam(defaultValue = "ALL", description = "RFC 3501 SEARCH criteria, evaluated by the server")
    private String search = "ALL";
    @UriParam(defaultValue = "full", enums = "full,headers,raw", description = "What to download per message")
    private String fetch = "full";
    @UriParam(defaultValue = "100", description = "Messages per UID FETCH command")
    private int fetchSize = 100;
    @UriParam(defaultValue = "4194304", description = "Messages larger than this are fetched in pieces into a temp file and never held whole in memory")
    private long maxInlineBytes = 4L * 1024 * 1024;
    @UriParam(defaultValue = "all", description = "On first start: all, now, or an RFC 3501 date such as 1-Nov-2026")
    private String startFrom = "all";
    @UriParam(defaultValue = "since-last-date", enums = "since-last-date,all,now,fail",
            description = "What to do when the server reports a new UIDVALIDITY for a folder")
    private String onUidValidityChange = "since-last-date";
    @UriParam(defaultValue = "none", description = "After delivery: none, seen, flag:<keyword>, move:<folder>, delete")
    private String after = "none";
    @UriParam(description = "A processor run on each message on worker threads before it enters the route "
            + "(e.g. the record mapper), so parsing overlaps with delivery; delivery stays in UID order")
    private Processor prepare;
    @UriParam(defaultValue = "2", description = "Worker threads for prepare")
    private int prepareThreads = 2;
    @UriParam(description = "Where progress is kept; default in memory")
    private CheckpointStore checkpointStore;
    @UriParam(defaultValue = "30000", description = "Connect and read timeout in milliseconds")
    private int timeout = 30000;
    @UriParam(description = "Log the IMAP protocol (credentials are not logged by Angus Mail)")
    private boolean debug;
    @UriParam(defaultValue = "password", enums = "password,oauth2", description = "Login with the password, or with XOAUTH2 and a token from tokenProvider")
    private String auth = "password";
    @UriParam(description = "Where XOAUTH2 tokens come from (auth=oauth2); asked on every connect")
    private TokenProvider tokenProvider;
    @UriParam(defaultValue = "300000", description = "After an OAuth2 login failed twice, milliseconds before the next attempt")
    private long loginBackoff = 300_000;
    private MailLogin login;

    public ImapUidEndpoint(String uri, ImapUidComponent component) {
        super(uri, component);
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("mailbridge-imap is a consumer only; send mail with smtp:");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        ImapUidConsumer consumer = new ImapUidConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** Fails fast on options that can only be wrong. */
    void validate() {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("mailbridge-imap: host is required");
        }
        if (folderList().isEmpty()) {
            throw new IllegalArgumentException("mailbridge-imap: folders is empty");
        }
        SearchExpression.parse(search);
        FetchMode.parse(fetch);
        PostAction.parse(after);
        StartFrom.parse(startFrom);
        UidValidityPolicy.parse(onUidValidityChange);
        if (!"password".equals(auth) && !"oauth2".equals(auth)) {
            throw new IllegalArgumentException("mailbridge-imap: auth must be password or oauth2, not '" + auth + "'");
        }
        if ("oauth2".equals(auth) && tokenProvider == null) {
            throw new IllegalArgumentException("mailbridge-imap: auth=oauth2 needs a tokenProvider");
        }
        if (fetchSize < 1) {
            throw new IllegalArgumentException("mailbridge-imap: fetchSize must be at least 1");
        }
    }

    public List<String> folderList() {
        return Arrays.stream(folders.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public String effectiveAccount() {
        if (account != null && !account.isBlank()) {
            return account;
        }
        return username != null && username.contains("@") ? username : username + "@" + host;
    }

    /** The login (password or XOAUTH2) this endpoint's connections use; one per endpoint, so its back-off spans reconnects. */
    public synchronized MailLogin login() {
        if (login == null) {
            login = new MailLogin("oauth2".equals(auth) ? tokenProvider : null, effectiveAccount(),
                    java.time.Duration.ofMillis(loginBackoff));
        }
        return login;
    }

    public int effectivePort() {
        return port > 0 ? port : (ssl ? 993 : 143);
    }

    CheckpointStore effectiveCheckpointStore() {
        if (checkpointStore == null) {
            checkpointStore = new InMemoryCheckpointStore();
        }
        return checkpointStore;
    }

    /** What an UIDVALIDITY change does to a folder's progress. */
    public enum UidValidityPolicy {
        SINCE_LAST_DATE, ALL, NOW, FAIL;

        static UidValidityPolicy parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + value + "' is not one of since-last-date, all, now, fail");
            }
        }
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public boolean isSsl() {
        return ssl;
    }

    public void setSsl(boolean ssl) {
        this.ssl = ssl;
    }

    public boolean isStarttls() {
        return starttls;
    }

    public void setStarttls(boolean starttls) {
        this.starttls = starttls;
    }

    public String getSslTrust() {
        return sslTrust;
    }

    public void setSslTrust(String sslTrust) {
        this.sslTrust = sslTrust;
    }

    public String getAccount() {
        return account;
    }

    public void setAccount(String account) {
        this.account = account;
    }

    public String getFolders() {
        return folders;
    }

    public void setFolders(String folders) {
        this.folders = folders;
    }

    public String getSearch() {
        return search;
    }

    public void setSearch(String search) {
        this.search = search;
    }

    public String getFetch() {
        return fetch;
    }

    public void setFetch(String fetch) {
        this.fetch = fetch;
    }

    public int getFetchSize() {
        return fetchSize;
    }

    public void setFetchSize(int fetchSize) {
        this.fetchSize = fetchSize;
    }

    public long getMaxInlineBytes() {
        return maxInlineBytes;
    }

    public void setMaxInlineBytes(long maxInlineBytes) {
        this.maxInlineBytes = maxInlineBytes;
    }

    public String getStartFrom() {
        return startFrom;
    }

    public void setStartFrom(String startFrom) {
        this.startFrom = startFrom;
    }

    public String getOnUidValidityChange() {
        return onUidValidityChange;
    }

    public void setOnUidValidityChange(String onUidValidityChange) {
        this.onUidValidityChange = onUidValidityChange;
    }

    public String getAfter() {
        return after;
    }

    public void setAfter(String after) {
        this.after = after;
    }

    public Processor getPrepare() {
        return prepare;
    }

    public void setPrepare(Processor prepare) {
        this.prepare = prepare;
    }

    public int getPrepareThreads() {
        return prepareThreads;
    }

    public void setPrepareThreads(int prepareThreads) {
        this.prepareThreads = prepareThreads;
    }

    public CheckpointStore getCheckpointStore() {
        return checkpointStore;
    }

    public void setCheckpointStore(CheckpointStore checkpointStore) {
        this.checkpointStore = checkpointStore;
    }

    public int getTimeout() {
        return timeout;
    }

    public void setTimeout(int timeout) {
        this.timeout = timeout;
    }

    public String getAuth() {
        return auth;
    }

    public void setAuth(String auth) {
        this.auth = auth;
    }

    public TokenProvider getTokenProvider() {
        return tokenProvider;
    }

    public void setTokenProvider(TokenProvider tokenProvider) {
        this.tokenProvider = tokenProvider;
    }

    public long getLoginBackoff() {
        return loginBackoff;
    }

    public void setLoginBackoff(long loginBackoff) {
        this.loginBackoff = loginBackoff;
    }

    public boolean isDebug() {
        return debug;
    }

    public void setDebug(boolean debug) {
        this.debug = debug;
    }
}
