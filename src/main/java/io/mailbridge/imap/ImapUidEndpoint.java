package io.mailbridge.imap;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.mailbridge.checkpoint.CheckpointStore;
import io.mailbridge.checkpoint.InMemoryCheckpointStore;
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
    @UriParam(description = "Turns each fetched RFC 822 message into what the route receives (mailbridge's record "
            + "mapper: the record as JSON). It runs on parseThreads worker threads ahead of delivery, so parsing overlaps "
            + "with delivery; delivery stays in UID order. A message it fails on goes, raw, to the route's error handler. "
            + "Without one the route receives the raw message bytes")
    private Processor mapper;
    @UriParam(defaultValue = "2", description = "Worker threads for the mapper; 0 maps on the consumer thread")
    private int parseThreads = 2;
    @UriParam(defaultValue = "50", description = "Records handed to the route whose sink has not confirmed them yet, at most "
            + "(matters for asynchronous sinks such as Kafka). The checkpoint moves in UID order as confirmations arrive; "
            + "after a crash at most this many records are delivered again")
    private int maxInFlight = 50;
    @UriParam(description = "Where progress is kept; default in memory")
    private CheckpointStore checkpointStore;
    @UriParam(defaultValue = "30000", description = "Connect and read timeout in milliseconds")
    private int timeout = 30000;
    @UriParam(description = "Log the IMAP protocol (credentials are not logged by Angus Mail)")
    private boolean debug;
    @UriParam(defaultValue = "true", description = "Where the server advertises IDLE, wait in IDLE on one connection per "
            + "folder and sync as soon as mail arrives; polling continues as a safety net")
    private boolean idle = true;
    @UriParam(defaultValue = "10m",
            description = "IDLE is ended and re-issued this often (RFC 2177: before 29 minutes)")
    private Duration idleInterval = Duration.ofMinutes(10);
    @UriParam(defaultValue = "5m",
            description = "Longest wait between attempts after failures other than a refused login")
    private Duration maxBackoff = Duration.ofMinutes(5);
    @UriParam(defaultValue = "10m",
            description = "Longest wait between login attempts after the server refused the login")
    private Duration maxLoginBackoff = Duration.ofMinutes(10);

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
        if (fetchSize < 1) {
            throw new IllegalArgumentException("mailbridge-imap: fetchSize must be at least 1");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("mailbridge-imap: maxInFlight must be at least 1");
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

    public Processor getMapper() {
        return mapper;
    }

    public void setMapper(Processor mapper) {
        this.mapper = mapper;
    }

    public int getParseThreads() {
        return parseThreads;
    }

    public void setParseThreads(int parseThreads) {
        this.parseThreads = parseThreads;
    }

    public int getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
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

    public boolean isDebug() {
        return debug;
    }

    public void setDebug(boolean debug) {
        this.debug = debug;
    }

    public boolean isIdle() {
        return idle;
    }

    public void setIdle(boolean idle) {
        this.idle = idle;
    }

    public Duration getIdleInterval() {
        return idleInterval;
    }

    public void setIdleInterval(Duration idleInterval) {
        this.idleInterval = idleInterval;
    }

    public Duration getMaxBackoff() {
        return maxBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
        this.maxBackoff = maxBackoff;
    }

    public Duration getMaxLoginBackoff() {
        return maxLoginBackoff;
    }

    public void setMaxLoginBackoff(Duration maxLoginBackoff) {
        this.maxLoginBackoff = maxLoginBackoff;
    }
}
