package io.mailbridge.imap.component;

import io.mailbridge.checkpoint.CheckpointStore;
import io.mailbridge.checkpoint.InMemoryCheckpointStore;
import io.mailbridge.imap.protocol.ImapServer;
import io.mailbridge.imap.sync.SyncOptions;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.ScheduledPollEndpoint;

/**
 * Reads IMAP folders by UID. The mailbox options are those of {@link MailboxConfiguration}; the endpoint
 * adds the beans a route wires in: the record mapper and the checkpoint store.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "mailbridge-imap", title = "mailbridge IMAP by UID",
        syntax = "mailbridge-imap:host:port", consumerOnly = true, category = { Category.MAIL },
        headersClass = io.mailbridge.component.MailbridgeHeaders.class)
public class ImapUidEndpoint extends ScheduledPollEndpoint {

    @UriParam
    private MailboxConfiguration configuration;
    @UriParam(description = "Turns each fetched RFC 822 message into what the route receives (mailbridge's record "
            + "mapper: the record as JSON). It runs on parseThreads worker threads ahead of delivery, so parsing overlaps "
            + "with delivery; delivery stays in UID order. A message it fails on goes, raw, to the route's error handler. "
            + "Without one the route receives the raw message bytes")
    private Processor mapper;
    @UriParam(description = "Where progress is kept; default in memory")
    private CheckpointStore checkpointStore;

    public ImapUidEndpoint(String uri, ImapUidComponent component, MailboxConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("mailbridge-imap is a consumer only; send mail with smtp:");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        ImapUidConsumer consumer = new ImapUidConsumer(this, processor);
        configureConsumer(consumer);
        consumer.setDelay(configuration.getPollDelay().toMillis());
        consumer.setInitialDelay(configuration.getInitialDelay().toMillis());
        return consumer;
    }

    /** Fails fast on what no single option's setter can check. */
    void validate() {
        configuration.validate("mailbridge-imap");
    }

    /** The options as the sync engine takes them, with this endpoint's login, store and the component's budget. */
    SyncOptions syncOptions() {
        MailboxConfiguration c = configuration;
        String account = c.effectiveAccount();
        return new SyncOptions(new ImapServer(c, c.login(account), account, c.getSslTrust()), c.folderList(), c.getFetch(),
                c.getAfter(), c.getStartFrom(), c.getOnUidValidityChange(), c.getSearch(), c.getFolderSearch(),
                effectiveCheckpointStore(), c.getMaxInFlight(), c.getFetchSize(), c.getMaxInlineBytes(),
                ((ImapUidComponent) getComponent()).prefetchBudget(), c.getPollDelay(), c.getIdleInterval(),
                c.getIdleMissedAfter(), c.getMaxBackoff(), c.getMaxLoginBackoff());
    }

    public MailboxConfiguration getConfiguration() {
        return configuration;
    }

    /** A whole mailbox configuration; the endpoint keeps a copy (see {@link MailboxConfiguration#copy()}). */
    public void setConfiguration(MailboxConfiguration configuration) {
        this.configuration = configuration.copy();
    }

    private CheckpointStore effectiveCheckpointStore() {
        if (checkpointStore == null) {
            checkpointStore = new InMemoryCheckpointStore();
        }
        return checkpointStore;
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

    public Processor getMapper() {
        return mapper;
    }

    public void setMapper(Processor mapper) {
        this.mapper = mapper;
    }

    public CheckpointStore getCheckpointStore() {
        return checkpointStore;
    }

    public void setCheckpointStore(CheckpointStore checkpointStore) {
        this.checkpointStore = checkpointStore;
    }
}
