package io.mailbridge.sink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.component.file.GenericFileProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the temp file a failed write left in a file sink. Camel's file producer writes to the
 * temp name ({@code tempPrefix}/{@code tempFileName}) and renames it when done, but when the write
 * fails (disk full) it leaves the partial temp file behind; only a later write of the same record
 * would delete it, which never comes if mailbridge stops meanwhile.
 */
final class PartialFiles {

    private static final Logger LOG = LoggerFactory.getLogger(PartialFiles.class);

    /** Producers used only to compute names, the same way the sink's producer does, one per endpoint. */
    private final Map<String, GenericFileProducer<?>> namers = new ConcurrentHashMap<>();

    void removeAfterFailedWrite(Exchange exchange) {
        String uri = exchange.getProperty(Exchange.TO_ENDPOINT, String.class);
        if (uri == null) {
            return;
        }
        try {
            GenericFileProducer<?> namer = namers.computeIfAbsent(uri, u -> namer(exchange.getContext().hasEndpoint(u)));
            if (namer == null) {
                return;
            }
            Path temp = Path.of(namer.createTempFileName(exchange, namer.createFileName(exchange)));
            if (Files.deleteIfExists(temp)) {
                LOG.debug("Removed the partial file {} of a failed write", temp);
            }
        } catch (Exception | LinkageError e) {
            LOG.debug("Could not remove the partial file of a failed write to {}", uri, e);
        }
    }

    private static GenericFileProducer<?> namer(Endpoint endpoint) {
        if (endpoint instanceof GenericFileEndpoint<?> file && file.getTempFileName() != null
                && "file".equals(file.getScheme())) {
            try {
                return (GenericFileProducer<?>) file.createProducer();
            } catch (Exception e) {
                return null;
            }
        }
        return null;
    }
}
