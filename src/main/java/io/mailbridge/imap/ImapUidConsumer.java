package io.mailbridge.imap;

import java.util.concurrent.ExecutorService;

import io.mailbridge.checkpoint.CheckpointFencedException;
import io.mailbridge.component.MailbridgeHeaders;
import jakarta.mail.MessagingException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.support.ScheduledPollConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls each configured folder with a {@link FolderSync} and hands every message to the route as
 * the finished record, in ascending UID order. The checkpoint moves only over messages whose route
 * completed (sink confirmed, or dead-lettered). A message that cannot become a record is handed over
 * raw with the reason in the {@code MailbridgeMappingError} header, for the route to dead-letter.
 */
public class ImapUidConsumer extends ScheduledPollConsumer implements Deliveries {

    private static final Logger LOG = LoggerFactory.getLogger(ImapUidConsumer.class);

    private final ImapUidEndpoint endpoint;
    private final SyncOptions options;
    private final PollStatistics statistics = new PollStatistics();
    private ImapSession session;
    private ExecutorService fetchPool;
    private ExecutorService parsePool;
    private FolderSync folderSync;

    public ImapUidConsumer(ImapUidEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.options = SyncOptions.of(endpoint);
    }

    /** Counters of what the polls did, for tests, benchmarks and operators. */
    public PollStatistics statistics() {
        return statistics;
    }

    @Override
    protected void doStart() throws Exception {
        session = new ImapSession(endpoint, options.postAction().modifiesMailbox());
        if (options.postAction().kind() == PostAction.Kind.FLAG) {
            try {
                session.checkKeywordsAllowed(endpoint.folderList(), endpoint.getAfter().toString());
            } finally {
                session.close();
            }
        }
        ExecutorServiceManager executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        fetchPool = executors.newSingleThreadExecutor(this, "mailbridge-fetch");
        if (endpoint.getMapper() != null && endpoint.getParseThreads() > 0) {
            parsePool = executors.newFixedThreadPool(this, "mailbridge-parse", endpoint.getParseThreads());
        }
        folderSync = new FolderSync(endpoint, options, session, this,
                new ParseWorkers(endpoint.getMapper(), parsePool), fetchPool, statistics);
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (session != null) {
            session.close();
        }
        ExecutorServiceManager executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        if (parsePool != null) {
            executors.shutdown(parsePool);
            parsePool = null;
        }
        if (fetchPool != null) {
            executors.shutdown(fetchPool);
            fetchPool = null;
        }
    }

    @Override
    protected int poll() throws Exception {
        int total = 0;
        try {
            for (String folder : endpoint.folderList()) {
                if (!isRunAllowed()) {
                    break;
                }
                total += folderSync.sync(folder);
            }
        } catch (UidValidityChangedException e) {
            LOG.error("{} Stopping route {}.", e.getMessage(), getRouteId());
            session.close();
            stopRouteLater();
        } catch (CheckpointFencedException e) {
            // another replica holds this account now; the store logged the refusal, leadership moves the route
            LOG.debug("Sync ended: {}", e.getMessage());
            session.close();
        } catch (MessagingException | RuntimeException e) {
            // a broken connection is re-opened on the next poll; progress so far is checkpointed
            session.close();
            throw e;
        }
        return total;
    }

    /** Stopping a route waits for its consumer, so it cannot be done from the poll thread. */
    private void stopRouteLater() {
        Thread stopper = new Thread(() -> {
            try {
                getEndpoint().getCamelContext().getRouteController().stopRoute(getRouteId());
            } catch (Exception ex) {
                LOG.error("Could not stop route {}", getRouteId(), ex);
            }
        }, "mailbridge-stop-" + getRouteId());
        stopper.setDaemon(true);
        stopper.start();
    }

    @Override
    public Exchange exchangeFor(String folder, long uidValidity, FetchedMessage message) {
        Exchange exchange = createExchange(false);
        var in = exchange.getMessage();
        in.setBody(message.content() != null ? message.content() : message.file());
        in.setHeader(MailbridgeHeaders.KEY, options.account() + "/" + folder + "/" + uidValidity + "/" + message.uid());
        in.setHeader(MailbridgeHeaders.ACCOUNT, options.account());
        in.setHeader(MailbridgeHeaders.FOLDER, folder);
        in.setHeader(MailbridgeHeaders.UID_VALIDITY, uidValidity);
        in.setHeader(MailbridgeHeaders.UID, message.uid());
        in.setHeader(MailbridgeHeaders.FLAGS, message.flags());
        in.setHeader(MailbridgeHeaders.INTERNAL_DATE, message.internalDate() == null ? null : message.internalDate().toString());
        in.setHeader(MailbridgeHeaders.SIZE, message.size());
        in.setHeader(MailbridgeHeaders.FETCH, options.fetchMode().name().toLowerCase());
        return exchange;
    }

    @Override
    public void deliver(Exchange exchange, Exception mappingFailure, DeliveryDone done) {
        if (mappingFailure != null) {
            // the raw message goes on, marked: the route's first step hands it to its dead-letter channel
            String key = exchange.getMessage().getHeader(MailbridgeHeaders.KEY, String.class);
            exchange.getMessage().setHeader(MailbridgeHeaders.MAPPING_ERROR, "could not make a record of " + key + ": "
                    + (mappingFailure.getMessage() != null ? mappingFailure.getMessage() : mappingFailure.toString()));
            LOG.debug("Mapping {} failed", key, mappingFailure);
        }
        try {
            getAsyncProcessor().process(exchange, doneSync -> completed(exchange, done));
        } catch (RuntimeException e) {
            exchange.setException(e);
            completed(exchange, done);
        }
    }

    private void completed(Exchange exchange, DeliveryDone done) {
        Exception failure = exchange.getException();
        if (failure != null) {
            logFailedDelivery(exchange, failure);
        }
        try {
            done.done(failure == null);
        } finally {
            releaseExchange(exchange, false);
        }
    }

    /** One line in words; the sink's own WARNs (SinkStatus) already told the story of an outage. */
    private void logFailedDelivery(Exchange exchange, Exception failure) {
        Object key = exchange.getMessage().getHeader(MailbridgeHeaders.KEY);
        if (!isRunAllowed()) {
            LOG.info("Stopped while {} was not yet delivered; it is fetched again from the checkpoint on the next start", key);
        } else {
            LOG.warn("Delivery of {} failed ({}); it is retried from the checkpoint", key, failure.getMessage());
        }
        LOG.debug("Delivery of {} failed", key, failure);
    }

    @Override
    public void release(Exchange exchange) {
        releaseExchange(exchange, false);
    }
}
