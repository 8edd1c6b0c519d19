package io.mailbridge.imap;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.mailbridge.checkpoint.CheckpointStore;
import io.mailbridge.checkpoint.InMemoryCheckpointStore;
import io.mailbridge.component.EndpointOptions;
import io.mailbridge.component.MailServerConfiguration;
import io.mailbridge.oauth2.MailLogin;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.ScheduledPollEndpoint;

/**
 * Reads IMAP folders by UID. Options mirror the {@code mail.imap.*} keys of application.properties.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "mailbridge-imap", title = "mailbridge IMAP by UID",
        syntax = "mailbridge-imap:host:port", consumerOnly = true, category = { Category.MAIL })
public class ImapUidEndpoint extends ScheduledPollEndpoint {

    @UriParam
    private final MailServerConfiguration configuration = new MailServerConfiguration(143, 993);
    @UriParam(description = "Hosts whose TLS certificate is trusted without checks (mail.imap.ssl.trust); test servers only")
    private String sslTrust;
    @UriParam(description = "Name of the account in record keys; default username@host")
    private String account;
    @UriParam(defaultValue = "INBOX", description = "Comma-separated folders to read")
    private String folders = "INBOX";
    @UriParam(defaultValue = "ALL", javaType = "java.lang.String", description = "RFC 3501 SEARCH criteria, evaluated by the server")
    private SearchExpression search = SearchExpression.parse("ALL");
    @UriParam(defaultValue = "full", enums = "full,headers,raw", description = "What to download per message")
    private FetchMode fetch = FetchMode.FULL;
    @UriParam(defaultValue = "100", description = "Messages per UID FETCH command")
    private int fetchSize = 100;
    @UriParam(defaultValue = "4194304", description = "Messages larger than this are fetched in pieces into a temp file and never held whole in memory")
    private long maxInlineBytes = 4L * 1024 * 1024;
    @UriParam(defaultValue = "all", javaType = "java.lang.String",
            description = "On first start: all, now, or an RFC 3501 date such as 1-Nov-2026")
    private StartFrom startFrom = StartFrom.parse("all");
    @UriParam(defaultValue = "since-last-date", enums = "since-last-date,all,now,fail",
            description = "What to do when the server reports a new UIDVALIDITY for a folder")
    private UidValidityPolicy onUidValidityChange = UidValidityPolicy.SINCE_LAST_DATE;
    @UriParam(defaultValue = "none", javaType = "java.lang.String",
            description = "After delivery: none, seen, flag:<keyword>, move:<folder>, delete")
    private PostAction after = PostAction.parse("none");
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
    @UriParam(label = "consumer,scheduler", defaultValue = "5000", javaType = "java.time.Duration",
            description = "Pause between polls: 500 (milliseconds), 10s, 1m30s")
    private long delay = 5000;
    @UriParam(label = "consumer,scheduler", defaultValue = "0", javaType = "java.time.Duration",
            description = "Pause between the route starting and its first poll")
    private long initialDelay;
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
        setDelay(delay);
        setInitialDelay(initialDelay);
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

    /** Fails fast on what no single option's setter can check. */
    void validate() {
        configuration.validate("mailbridge-imap");
    }

    public List<String> folderList() {
        return Arrays.stream(folders.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public String effectiveAccount() {
        return EndpointOptions.account(account, configuration.getUsername(), configuration.getHost());
    }

    /** The login (password or XOAUTH2) this endpoint's connections use; one per endpoint, so its back-off spans reconnects. */
    public MailLogin login() {
        return configuration.login(effectiveAccount());
    }

    /** Host, port, login, TLS, timeout and debug: the options shared with mailbridge-smtp. */
    public MailServerConfiguration getConfiguration() {
        return configuration;
    }

    CheckpointStore effectiveCheckpointStore() {
        if (checkpointStore == null) {
            checkpointStore = new InMemoryCheckpointStore();
        }
        return checkpointStore;
    }

    /** What an UIDVALIDITY change does to a folder's progress; Camel binds since-last-date to SINCE_LAST_DATE. */
    public enum UidValidityPolicy {
        SINCE_LAST_DATE, ALL, NOW, FAIL
    }

    /** The component's prefetch memory budget, shared by every account. */
    PrefetchBudget prefetchBudget() {
        return ((ImapUidComponent) getComponent()).prefetchBudget();
    }

    /**
     * The {@code host:port} path options. Camel's generated configurer leaves path options to the
     * endpoint, and binds them by these setters (the component passes the port on as a parameter).
     */
    public void setHost(String host) {
        configuration.setHost(host);
    }

    public void setPort(int port) {
        configuration.setPort(port);
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
        if (folders == null || folders.replace(",", "").isBlank()) {
            throw new IllegalArgumentException("'" + folders + "': name at least one folder");
        }
        this.folders = folders;
    }

    public SearchExpression getSearch() {
        return search;
    }

    public void setSearch(String search) {
        this.search = SearchExpression.parse(search);
    }

    public FetchMode getFetch() {
        return fetch;
    }

    public void setFetch(FetchMode fetch) {
        this.fetch = fetch;
    }

    public int getFetchSize() {
        return fetchSize;
    }

    public void setFetchSize(int fetchSize) {
        this.fetchSize = (int) atLeast(1, fetchSize);
    }

    public long getMaxInlineBytes() {
        return maxInlineBytes;
    }

    public void setMaxInlineBytes(long maxInlineBytes) {
        this.maxInlineBytes = atLeast(1, maxInlineBytes);
    }

    public StartFrom getStartFrom() {
        return startFrom;
    }

    public void setStartFrom(String startFrom) {
        this.startFrom = StartFrom.parse(startFrom);
    }

    public UidValidityPolicy getOnUidValidityChange() {
        return onUidValidityChange;
    }

    public void setOnUidValidityChange(UidValidityPolicy onUidValidityChange) {
        this.onUidValidityChange = onUidValidityChange;
    }

    public PostAction getAfter() {
        return after;
    }

    public void setAfter(String after) {
        this.after = PostAction.parse(after);
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
        this.parseThreads = (int) atLeast(0, parseThreads);
    }

    public int getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(int maxInFlight) {
        this.maxInFlight = (int) atLeast(1, maxInFlight);
    }

    public CheckpointStore getCheckpointStore() {
        return checkpointStore;
    }

    public void setCheckpointStore(CheckpointStore checkpointStore) {
        this.checkpointStore = checkpointStore;
    }

    @Override
    public void setDelay(long delay) {
        super.setDelay(delay);
        this.delay = delay;
    }

    @Override
    public void setInitialDelay(long initialDelay) {
        super.setInitialDelay(initialDelay);
        this.initialDelay = initialDelay;
    }

    /** A setter's range check, so a bad value fails while Camel binds it, naming the option. */
    private static long atLeast(long min, long value) {
        if (value < min) {
            throw new IllegalArgumentException("'" + value + "': must be a whole number, " + min + " or more");
        }
        return value;
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
