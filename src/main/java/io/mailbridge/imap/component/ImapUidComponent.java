package io.mailbridge.imap.component;

import io.mailbridge.imap.protocol.PrefetchBudget;

import java.util.Map;
import java.util.concurrent.ExecutorService;

import io.mailbridge.component.EndpointOptions;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code mailbridge-imap:host?options}: an IMAP consumer that tracks progress by UID under
 * UIDVALIDITY, searches on the server, fetches in bulk with BODY.PEEK and emits one exchange per
 * message in ascending UID order. See {@link ImapUidEndpoint} for the options.
 */
@Component("mailbridge-imap")
public class ImapUidComponent extends DefaultComponent {

    @Metadata(label = "advanced", defaultValue = "0", description = "Bytes of fetched messages held in memory at once,"
            + " summed over every account: fetching waits while deliveries hold this much. 0: a quarter of the maximum heap")
    private long maxPrefetchBytes;

    private PrefetchBudget prefetchBudget;
    private ExecutorService parsePool;

    public long getMaxPrefetchBytes() {
        return maxPrefetchBytes;
    }

    public void setMaxPrefetchBytes(long maxPrefetchBytes) {
        this.maxPrefetchBytes = maxPrefetchBytes;
    }

    /**
     * The record mapping threads, shared by every account: the work is CPU-bound, so one pool sized
     * for the cores serves them all (per account, 200 accounts held 400 parse threads on 2 cores).
     * Sized by the first consumer that asks (every account has mail.imap.parse-threads).
     */
    synchronized ExecutorService parsePool(int threads) {
        if (parsePool == null) {
            parsePool = getCamelContext().getExecutorServiceManager().newFixedThreadPool(this, "mailbridge-parse", threads);
        }
        return parsePool;
    }

    @Override
    protected void doStop() throws Exception {
        synchronized (this) {
            if (parsePool != null) {
                getCamelContext().getExecutorServiceManager().shutdown(parsePool);
                parsePool = null;
            }
        }
        super.doStop();
    }

    /** The one budget of all this component's consumers, made on first use (after configuration). */
    synchronized PrefetchBudget prefetchBudget() {
        if (prefetchBudget == null) {
            prefetchBudget = new PrefetchBudget(maxPrefetchBytes);
        }
        return prefetchBudget;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        // a whole mailbox configuration by reference (configuration=#bean) is the base the other options refine
        MailboxConfiguration base = getAndRemoveOrResolveReferenceParameter(parameters, "configuration", MailboxConfiguration.class);
        ImapUidEndpoint endpoint = new ImapUidEndpoint(uri, this, base == null ? new MailboxConfiguration() : base.copy());
        String host = EndpointOptions.hostAndPort(remaining, parameters);
        if (base == null || !host.isEmpty()) {
            endpoint.setHost(host);
        }
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }
}
