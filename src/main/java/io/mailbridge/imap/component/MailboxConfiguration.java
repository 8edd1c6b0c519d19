package io.mailbridge.imap.component;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.mailbridge.component.MailServerConfiguration;
import io.mailbridge.imap.protocol.FetchMode;
import io.mailbridge.imap.protocol.PostAction;
import io.mailbridge.imap.protocol.SearchExpression;
import io.mailbridge.imap.sync.StartFrom;
import io.mailbridge.imap.sync.UidValidityPolicy;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * Every option of one mailbox, declared once: each field's {@code @UriParam} carries its default and
 * description, the build turns them into the component's catalog, and the properties
 * {@code mail.imap.<option>} and {@code mail.account.<name>.<option>} are bound onto it by name
 * ({@code fetch-size} onto {@code fetchSize}). The server and login options are inherited from
 * {@link MailServerConfiguration}, shared with mailbridge-smtp. As camel-mail's {@code MailConfiguration},
 * one instance can be handed to an endpoint whole ({@code configuration=#bean}); the endpoint copies it.
 */
@UriParams
public class MailboxConfiguration extends MailServerConfiguration implements Cloneable {

    @UriParam(description = "Hosts whose TLS certificate is trusted without checks (mail.imap.ssl.trust); test servers only")
    private String sslTrust;
    @UriParam(description = "Name of the account in record keys and checkpoints; default username@host (with mail.accounts: the account's name)")
    private String account;
    @UriParam(defaultValue = "INBOX", description = "Comma-separated folders to read")
    private String folders = "INBOX";
    @UriParam(defaultValue = "ALL", javaType = "java.lang.String", description = "RFC 3501 SEARCH criteria, evaluated by the server")
    private SearchExpression search = SearchExpression.parse("ALL");
    @UriParam(prefix = "folder.", multiValue = true, javaType = "java.util.Map<java.lang.String, java.lang.String>",
            description = "A folder's own SEARCH criteria instead of search: folder.<name>.search")
    private Map<String, SearchExpression> folderSearch = Map.of();
    @UriParam(defaultValue = "full", enums = "full,headers,raw", description = "What to download per message")
    private FetchMode fetch = FetchMode.FULL;
    @UriParam(defaultValue = "100", description = "Messages per UID FETCH command")
    private int fetchSize = 100;
    @UriParam(defaultValue = "4194304", description = "Messages larger than this are fetched in pieces into a temp file and "
            + "never held whole in memory (mail.record.max-inline-bytes)")
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
    @UriParam(defaultValue = "2", description = "Threads that turn messages into records ahead of delivery, shared by every "
            + "mailbox (the first to start sizes the pool); 0 maps on the consumer thread")
    private int parseThreads = 2;
    @UriParam(defaultValue = "50", description = "Records handed to the route whose sink has not confirmed them yet, at most "
            + "(mail.sink.max-in-flight). The checkpoint moves in UID order as confirmations arrive; after a crash at most "
            + "this many records are delivered again")
    private int maxInFlight = 50;
    @UriParam(defaultValue = "5s", javaType = "java.time.Duration", description = "Pause between polls: 500 (milliseconds), 10s, 1m30s")
    private Duration pollDelay = Duration.ofSeconds(5);
    @UriParam(defaultValue = "0s", javaType = "java.time.Duration", description = "Pause between the route starting and its first poll")
    private Duration initialDelay = Duration.ZERO;
    @UriParam(defaultValue = "true", description = "Where the server advertises IDLE, wait in IDLE on one connection per "
            + "folder and sync as soon as mail arrives; polling continues as a safety net")
    private boolean idle = true;
    @UriParam(defaultValue = "10m", javaType = "java.time.Duration",
            description = "IDLE is ended and re-issued this often (RFC 2177: before 29 minutes)")
    private Duration idleInterval = Duration.ofMinutes(10);
    @UriParam(defaultValue = "10s", javaType = "java.time.Duration", description = "New mail a poll finds that the "
            + "folder's IDLE connection has not announced within this long counts as missed by IDLE "
            + "(mailbridge_imap_idle_missed_total, one WARN per folder): the server checks for new mail less often than IDLE promises")
    private Duration idleMissedAfter = Duration.ofSeconds(10);
    @UriParam(defaultValue = "false", description = "After a message was delivered as a record, each later change of it "
            + "(flags or keywords set or cleared, expunged, moved away) becomes a change event (mailbridge.change/1) sent to "
            + "changesUri: with CONDSTORE/QRESYNC from the server's modification sequences, within a second with IDLE; "
            + "without CONDSTORE by comparing the folder's flags every changesScanInterval")
    private boolean changes;
    @UriParam(description = "Where change events go (mail.changes.uri): any Camel endpoint; default the record sink, so "
            + "that on Kafka a message's record and its changes share a topic and a key")
    private String changesUri;
    @UriParam(defaultValue = "5m", javaType = "java.time.Duration", description = "On a server without CONDSTORE: how "
            + "often the folder's flags are compared with those last reported (and, without QRESYNC, its UIDs for expunges)")
    private Duration changesScanInterval = Duration.ofMinutes(5);
    @UriParam(defaultValue = "5m", javaType = "java.time.Duration",
            description = "Longest wait between attempts after failures other than a refused login")
    private Duration maxBackoff = Duration.ofMinutes(5);
    @UriParam(defaultValue = "10m", javaType = "java.time.Duration",
            description = "Longest wait between login attempts after the server refused the login")
    private Duration maxLoginBackoff = Duration.ofMinutes(10);

    public MailboxConfiguration() {
        super(143, 993);
    }

    /** A copy for one endpoint: the login (and its back-off) is the endpoint's own. */
    public MailboxConfiguration copy() {
        try {
            MailboxConfiguration copy = (MailboxConfiguration) clone();
            copy.resetLogin();
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<String> folderList() {
        return Arrays.stream(folders.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The account a mailbox's records and checkpoints are kept under: the account option, else username@host. */
    public String effectiveAccount() {
        return account != null && !account.isBlank() ? account : userAtHost();
    }

    /** {@code username@host}, or the user name alone when it is an address: the default account name. */
    public String userAtHost() {
        String user = getUsername() == null ? "" : getUsername();
        return user.contains("@") ? user : user + "@" + getHost();
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

    /** The folder's own search, else the mailbox's. */
    public SearchExpression searchFor(String folder) {
        return folderSearch.getOrDefault(folder, search);
    }

    public Map<String, SearchExpression> getFolderSearch() {
        return folderSearch;
    }

    /** Folder name to SEARCH criteria, each parsed here so a bad one fails while it is bound. */
    public void setFolderSearch(Map<String, String> searches) {
        Map<String, SearchExpression> parsed = new LinkedHashMap<>();
        searches.forEach((folder, criteria) -> parsed.put(folder, SearchExpression.parse(criteria)));
        this.folderSearch = Map.copyOf(parsed);
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

    public Duration getPollDelay() {
        return pollDelay;
    }

    public void setPollDelay(Duration pollDelay) {
        this.pollDelay = pollDelay;
    }

    public Duration getInitialDelay() {
        return initialDelay;
    }

    public void setInitialDelay(Duration initialDelay) {
        this.initialDelay = initialDelay;
    }

    public boolean isIdle() {
        return idle;
    }

    public void setIdle(boolean idle) {
        this.idle = idle;
    }

    public boolean isChanges() {
        return changes;
    }

    public void setChanges(boolean changes) {
        this.changes = changes;
    }

    public String getChangesUri() {
        return changesUri;
    }

    public void setChangesUri(String changesUri) {
        this.changesUri = changesUri;
    }

    public Duration getChangesScanInterval() {
        return changesScanInterval;
    }

    public void setChangesScanInterval(Duration changesScanInterval) {
        this.changesScanInterval = changesScanInterval;
    }

    public Duration getIdleInterval() {
        return idleInterval;
    }

    public void setIdleInterval(Duration idleInterval) {
        this.idleInterval = idleInterval;
    }

    public Duration getIdleMissedAfter() {
        return idleMissedAfter;
    }

    public void setIdleMissedAfter(Duration idleMissedAfter) {
        this.idleMissedAfter = idleMissedAfter;
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

    /** A setter's range check, so a bad value fails while Camel binds it, naming the option. */
    private static long atLeast(long min, long value) {
        if (value < min) {
            throw new IllegalArgumentException("'" + value + "': must be a whole number, " + min + " or more");
        }
        return value;
    }
}
