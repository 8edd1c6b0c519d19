package io.mailbridge.imap;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import io.mailbridge.checkpoint.Checkpoint;
import io.mailbridge.imap.ImapUidEndpoint.UidValidityPolicy;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.FolderClosedException;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollConsumer;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;
import org.eclipse.angus.mail.imap.protocol.RFC822SIZE;
import org.eclipse.angus.mail.imap.protocol.UID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls each configured folder: EXAMINE (or SELECT when a post-action needs it), compare UIDNEXT
 * with the checkpoint (an idle poll ends here, whatever the folder size), {@code UID SEARCH UID n:*
 * <criteria>}, then one {@code UID FETCH} per chunk and one exchange per message in ascending UID
 * order. The checkpoint moves after each chunk whose exchanges all completed.
 */
public class ImapUidConsumer extends ScheduledPollConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(ImapUidConsumer.class);

    private final ImapUidEndpoint endpoint;
    private final FetchMode fetchMode;
    private final PostAction postAction;
    private final StartFrom startFrom;
    private final UidValidityPolicy uidValidityPolicy;
    private final String account;
    private Store store;
    private ExecutorService preparePool;
    private ExecutorService fetchPool;
    private final java.util.Map<String, IMAPFolder> openFolders = new java.util.HashMap<>();
    private final java.util.Map<String, Checkpoint> checkpoints = new java.util.HashMap<>();
    private final PollStatistics statistics = new PollStatistics();

    public ImapUidConsumer(ImapUidEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.fetchMode = FetchMode.parse(endpoint.getFetch());
        this.postAction = PostAction.parse(endpoint.getAfter());
        this.startFrom = StartFrom.parse(endpoint.getStartFrom());
        this.uidValidityPolicy = UidValidityPolicy.parse(endpoint.getOnUidValidityChange());
        this.account = endpoint.effectiveAccount();
    }

    /** Counters of what the polls did, for tests, benchmarks and operators. */
    public PollStatistics statistics() {
        return statistics;
    }

    @Override
    protected void doStart() throws Exception {
        if (postAction.kind() == PostAction.Kind.FLAG) {
            checkKeywordsAllowed();
        }
        fetchPool = getEndpoint().getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this, "mailbridge-fetch");
        if (endpoint.getPrepare() != null && endpoint.getPrepareThreads() > 0) {
            preparePool = getEndpoint().getCamelContext().getExecutorServiceManager()
                    .newFixedThreadPool(this, "mailbridge-prepare", endpoint.getPrepareThreads());
        }
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        closeStore();
        if (preparePool != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdown(preparePool);
            preparePool = null;
        }
        if (fetchPool != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdown(fetchPool);
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
                total += pollFolder(folder);
            }
        } catch (UidValidityChangedException e) {
            LOG.error("{} Stopping route {}.", e.getMessage(), getRouteId());
            closeStore();
            // stopping a route waits for its consumer, so it cannot be done from the poll thread
            Thread stopper = new Thread(() -> {
                try {
                    getEndpoint().getCamelContext().getRouteController().stopRoute(getRouteId());
                } catch (Exception ex) {
                    LOG.error("Could not stop route {}", getRouteId(), ex);
                }
            }, "mailbridge-stop-" + getRouteId());
            stopper.setDaemon(true);
            stopper.start();
            return total;
        } catch (MessagingException | RuntimeException e) {
            // a broken connection is re-opened on the next poll; progress so far is checkpointed
            closeStore();
            throw e;
        }
        return total;
    }

    private int pollFolder(String folderName) throws Exception {
        long started = System.nanoTime();
        IMAPFolder folder = openFolder(folderName);
        long lastUid;
        try {
            lastUid = lastUid(folder);
        } catch (FolderClosedException e) {
            // the server closed an idle connection (autologout): reopen once, then carry on
            openFolders.remove(folderName);
            folder = openFolder(folderName);
            lastUid = lastUid(folder);
        }
        Checkpoint checkpoint = checkpoint(folderName);
        if (checkpoint != null && checkpoint.uidValidity() == folder.getUIDValidity() && lastUid >= 0
                && lastUid <= checkpoint.lastUid()) {
            statistics.idlePolls.increment();
            statistics.idlePollNanos.add(System.nanoTime() - started);
            return 0; // nothing above the checkpoint: no SEARCH, one round trip whatever the folder size
        }
        return pollOpenFolder(folder, folderName, started, lastUid < 0 ? 0 : lastUid + 1);
    }

    /**
     * Folders stay selected between polls: an idle poll is then one {@code UID FETCH * (UID)} on the
     * selected folder. (STATUS or a new EXAMINE would do, but some servers rescan the whole mailbox
     * for them: Dovecot takes ~50 ms for STATUS INBOX at 100,000 messages, 0.1 ms for this.)
     */
    private IMAPFolder openFolder(String folderName) throws MessagingException {
        IMAPFolder folder = openFolders.get(folderName);
        if (folder != null && folder.isOpen()) {
            return folder;
        }
        folder = (IMAPFolder) connectedStore().getFolder(folderName);
        try {
            folder.open(postAction.modifiesMailbox() ? Folder.READ_WRITE : Folder.READ_ONLY);
        } catch (FolderNotFoundException e) {
            throw new MessagingException("Folder '" + folderName + "' does not exist on " + account, e);
        }
        openFolders.put(folderName, folder);
        return folder;
    }

    /** The highest UID in the selected folder ({@code UID FETCH * (UID)}), 0 when empty, -1 when unknown. */
    private static long lastUid(IMAPFolder folder) throws MessagingException {
        long highest = (Long) folder.doCommand(p -> {
            Response[] responses = p.command("UID FETCH * (UID)", null);
            long last = 0;
            for (int i = 0; i < responses.length - 1; i++) {
                if (responses[i] instanceof FetchResponse fr && fr.getItem(UID.class) != null) {
                    last = Math.max(last, fr.getItem(UID.class).uid);
                    responses[i] = null;
                }
            }
            Response result = responses[responses.length - 1];
            responses[responses.length - 1] = null;
            p.notifyResponseHandlers(responses); // EXISTS/EXPUNGE updates keep the message count current
            return result.isOK() ? last : -1L;
        });
        // "*" in an empty folder: some servers answer NO or BAD
        return highest < 0 && folder.getMessageCount() == 0 ? 0 : highest;
    }

    /** @param uidNext one above the highest UID seen before searching: everything below it is covered by the search */
    private int pollOpenFolder(IMAPFolder folder, String folderName, long started, long uidNext) throws Exception {
        long uidValidity = folder.getUIDValidity();
        Checkpoint checkpoint = checkpoint(folderName);
        SearchExpression search = searchFor(folderName);
        Instant notAfterOrAt = null; // only messages with INTERNALDATE after this one, when resuming by date

        if (checkpoint == null) {
            switch (startFrom.kind()) {
                case NOW -> {
                    save(folderName, new Checkpoint(uidValidity, Math.max(0, uidNext - 1), null));
                    LOG.info("{}: first start with start-from=now, skipping {} existing UIDs", folderName, uidNext - 1);
                    return 0;
                }
                case DATE -> search = search.andSince(StartFrom.format(startFrom.date()));
                default -> { }
            }
            checkpoint = new Checkpoint(uidValidity, 0, null);
        } else if (checkpoint.uidValidity() != uidValidity) {
            LOG.warn("UIDVALIDITY of account {} folder {} changed from {} to {}: stored UIDs are void, applying on-uidvalidity-change={}",
                    account, folderName, checkpoint.uidValidity(), uidValidity,
                    uidValidityPolicy.name().toLowerCase().replace('_', '-'));
            switch (uidValidityPolicy) {
                case FAIL -> throw new UidValidityChangedException(account, folderName, checkpoint.uidValidity(), uidValidity);
                case NOW -> {
                    save(folderName,
                            new Checkpoint(uidValidity, Math.max(0, uidNext - 1), checkpoint.lastInternalDate()));
                    return 0;
                }
                case SINCE_LAST_DATE -> {
                    if (checkpoint.lastInternalDate() != null) {
                        notAfterOrAt = checkpoint.lastInternalDate();
                        // SINCE has day granularity in the server's time zone: ask a day early, filter exactly here
                        search = search.andSince(StartFrom.format(
                                notAfterOrAt.atZone(ZoneOffset.UTC).toLocalDate().minusDays(1)));
                    }
                }
                default -> { }
            }
            checkpoint = new Checkpoint(uidValidity, 0, checkpoint.lastInternalDate());
        }

        long fromUid = checkpoint.lastUid() + 1;
        statistics.searches.increment();
        List<Long> uids = search(folder, fromUid, search);
        if (uids.isEmpty()) {
            advanceTo(folderName, checkpoint, uidNext);
            return 0;
        }

        int delivered = 0;
        Checkpoint progress = checkpoint;
        boolean completed = true;
        List<Long> accepted = new ArrayList<>();
        BlockingQueue<Batch> fetched = new ArrayBlockingQueue<>(2);
        // the next segment is fetched while this one is parsed and delivered: the connection and the CPUs both stay busy
        Future<?> fetcher = fetchPool.submit(() -> fetchAll(folder, uids, fetched));
        try {
            while (completed) {
                Batch batch = fetched.take();
                if (batch.error() != null) {
                    throw batch.error();
                }
                if (batch.messages() == null) {
                    break; // all fetched
                }
                if (batch.chunkLastUid() > 0) {
                    // messages expunged between SEARCH and FETCH are gone: the chunk is done up to its last UID
                    progress = progress.advance(batch.chunkLastUid(), null);
                    applyPostAction(folder, accepted);
                    accepted.clear();
                    save(folderName, progress);
                    continue;
                }
                List<FetchedMessage> messages = batch.messages();
                List<Exchange> exchanges = new ArrayList<>(messages.size());
                List<Future<?>> prepared = new ArrayList<>(messages.size());
                for (FetchedMessage message : messages) {
                    boolean skip = notAfterOrAt != null && message.internalDate() != null
                            && !message.internalDate().isAfter(notAfterOrAt);
                    Exchange exchange = skip ? null : exchangeFor(folderName, uidValidity, message);
                    exchanges.add(exchange);
                    prepared.add(exchange == null ? null : prepare(exchange));
                }
                for (int m = 0; m < messages.size(); m++) {
                    FetchedMessage message = messages.get(m);
                    Exchange exchange = exchanges.get(m);
                    try {
                        if (!completed || !isRunAllowed()) {
                            completed = false;
                            continue;
                        }
                        if (exchange == null) {
                            progress = progress.advance(message.uid(), null);
                            continue;
                        }
                        awaitPrepared(prepared.get(m));
                        if (!deliver(exchange)) {
                            completed = false;
                            continue;
                        }
                        accepted.add(message.uid());
                        statistics.delivered.increment();
                        progress = progress.advance(message.uid(), message.internalDate());
                        delivered++;
                    } finally {
                        if (prepared.get(m) != null) {
                            prepared.get(m).cancel(false);
                            awaitPrepared(prepared.get(m)); // a worker must be done with it before it is released
                        }
                        if (exchange != null) {
                            releaseExchange(exchange, false);
                        }
                        message.discard();
                    }
                }
            }
        } finally {
            fetcher.cancel(true);
            awaitPrepared(fetcher);
            for (Batch left : fetched) {
                if (left.messages() != null) {
                    left.messages().forEach(FetchedMessage::discard);
                }
            }
            if (!accepted.isEmpty()) {
                applyPostAction(folder, accepted);
                save(folderName, progress);
            }
        }
        if (completed) {
            advanceTo(folderName, progress, uidNext);
        }
        LOG.info("{}: {} new, uid {}..{}, {} ms{}", folderName, delivered, uids.get(0), progress.lastUid(),
                (System.nanoTime() - started) / 1_000_000, completed ? "" : " (stopped early; resumes from the checkpoint)");
        return delivered;
    }

    /** Everything below UIDNEXT was covered by the search, so the checkpoint may skip non-matching UIDs. */
    private void advanceTo(String folderName, Checkpoint checkpoint, long uidNext) throws Exception {
        if (uidNext > 0 && uidNext - 1 > checkpoint.lastUid()) {
            save(folderName, checkpoint.advance(uidNext - 1, null));
        } else if (checkpoint.lastUid() == 0) {
            save(folderName, checkpoint);
        }
    }

    /**
     * The folder's checkpoint: read from the store once, then kept here, since this consumer is the
     * only writer for its folders. An idle poll so costs no file read.
     */
    private Checkpoint checkpoint(String folderName) throws Exception {
        Checkpoint known = checkpoints.get(folderName);
        if (known == null) {
            known = endpoint.effectiveCheckpointStore().load(account, folderName);
            if (known != null) {
                checkpoints.put(folderName, known);
            }
        }
        return known;
    }

    private void save(String folderName, Checkpoint checkpoint) throws Exception {
        endpoint.effectiveCheckpointStore().save(account, folderName, checkpoint);
        checkpoints.put(folderName, checkpoint);
    }

    private Exchange exchangeFor(String folderName, long uidValidity, FetchedMessage message) {
        Exchange exchange = createExchange(false);
        var in = exchange.getMessage();
        in.setBody(message.content() != null ? message.content() : message.file());
        in.setHeader(MailbridgeHeaders.KEY, account + "/" + folderName + "/" + uidValidity + "/" + message.uid());
        in.setHeader(MailbridgeHeaders.ACCOUNT, account);
        in.setHeader(MailbridgeHeaders.FOLDER, folderName);
        in.setHeader(MailbridgeHeaders.UID_VALIDITY, uidValidity);
        in.setHeader(MailbridgeHeaders.UID, message.uid());
        in.setHeader(MailbridgeHeaders.FLAGS, message.flags());
        in.setHeader(MailbridgeHeaders.INTERNAL_DATE, message.internalDate() == null ? null : message.internalDate().toString());
        in.setHeader(MailbridgeHeaders.SIZE, message.size());
        in.setHeader(MailbridgeHeaders.FETCH, fetchMode.name().toLowerCase());
        return exchange;
    }

    /**
     * Runs the endpoint's {@code prepare} processor (the record mapper, CPU-bound) on worker threads
     * ahead of the route, so parsing overlaps with delivery; delivery itself stays one at a time in
     * UID order. A failure is left for the route to meet again, where the error handler sees it.
     */
    private Future<?> prepare(Exchange exchange) {
        Processor preparer = endpoint.getPrepare();
        if (preparer == null || preparePool == null) {
            return null;
        }
        return preparePool.submit(() -> {
            try {
                preparer.process(exchange);
            } catch (Exception e) {
                LOG.debug("Preparing {} failed; the route will process it", exchange.getMessage().getHeader(MailbridgeHeaders.KEY), e);
            }
        });
    }

    private static void awaitPrepared(Future<?> future) {
        if (future == null) {
            return;
        }
        try {
            future.get();
        } catch (java.util.concurrent.CancellationException | java.util.concurrent.ExecutionException e) {
            // not prepared: the route does the work
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean deliver(Exchange exchange) {
        String key = exchange.getMessage().getHeader(MailbridgeHeaders.KEY, String.class);
        try {
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Delivery of " + key + " failed; it is retried on the next poll",
                        exchange, exchange.getException());
                return false;
            }
            return true;
        } catch (Exception e) {
            getExceptionHandler().handleException("Delivery of " + key + " failed; retried on the next poll", exchange, e);
            return false;
        }
    }

    private SearchExpression searchFor(String folderName) {
        // a folder may have its own search: mail.imap.folder.<name>.search
        return getEndpoint().getCamelContext().getPropertiesComponent()
                .resolveProperty("mail.imap.folder." + folderName + ".search")
                .map(SearchExpression::parse)
                .orElseGet(() -> SearchExpression.parse(endpoint.getSearch()));
    }

    /**
     * What the fetch thread hands over: fetched messages, or the end of a chunk (chunkLastUid), or
     * the end of everything (messages null), or the error that stopped fetching.
     */
    private record Batch(List<FetchedMessage> messages, long chunkLastUid, Exception error) {
    }

    /** Runs on the fetch thread: every chunk, segment by segment, into the queue (which bounds memory). */
    private void fetchAll(IMAPFolder folder, List<Long> uids, BlockingQueue<Batch> out) {
        try {
            for (int i = 0; i < uids.size(); i += endpoint.getFetchSize()) {
                List<Long> chunk = uids.subList(i, Math.min(uids.size(), i + endpoint.getFetchSize()));
                for (Segment segment : plan(folder, chunk)) {
                    List<FetchedMessage> messages = segment.spool() ? List.of(spool(folder, segment.uids().get(0)))
                            : fetch(folder, segment.uids());
                    statistics.fetches.increment();
                    try {
                        out.put(new Batch(messages, 0, null));
                    } catch (InterruptedException e) {
                        messages.forEach(FetchedMessage::discard);
                        throw e;
                    }
                }
                out.put(new Batch(List.of(), chunk.get(chunk.size() - 1), null));
            }
            out.put(new Batch(null, 0, null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the poll stopped early
        } catch (Exception e) {
            if (!out.offer(new Batch(null, 0, e))) {
                LOG.debug("Fetch failed after the poll stopped", e);
            }
        }
    }

    /** A run of UIDs fetched with one command, or one large message spooled to disk. */
    private record Segment(List<Long> uids, boolean spool) {
    }

    /** Upper bound of message bytes one UID FETCH may bring into memory. */
    private static final long FETCH_BUDGET_BYTES = 16L * 1024 * 1024;
    private static final int SPOOL_PIECE_BYTES = 1024 * 1024;

    /**
     * Splits a chunk so that no FETCH holds more than {@link #FETCH_BUDGET_BYTES} and no message above
     * maxInlineBytes is held whole in memory: those are fetched piece by piece into a temp file.
     * Costs one {@code UID FETCH (UID RFC822.SIZE)} per chunk; skipped when only headers are fetched.
     */
    private List<Segment> plan(IMAPFolder folder, List<Long> chunk) throws MessagingException {
        if (fetchMode == FetchMode.HEADERS) {
            return List.of(new Segment(chunk, false));
        }
        @SuppressWarnings("unchecked")
        java.util.Map<Long, Long> sizes = (java.util.Map<Long, Long>) folder.doCommand(p -> {
            Response[] responses = p.command("UID FETCH " + uidSet(chunk) + " (UID RFC822.SIZE)", null);
            java.util.Map<Long, Long> out = new java.util.HashMap<>();
            for (int i = 0; i < responses.length - 1; i++) {
                if (responses[i] instanceof FetchResponse fr && fr.getItem(UID.class) != null
                        && fr.getItem(RFC822SIZE.class) != null) {
                    out.put(fr.getItem(UID.class).uid, fr.getItem(RFC822SIZE.class).size);
                    responses[i] = null;
                }
            }
            finish(p, responses);
            return out;
        });
        List<Segment> segments = new ArrayList<>();
        List<Long> batch = new ArrayList<>();
        long batchBytes = 0;
        for (long uid : chunk) {
            long size = sizes.getOrDefault(uid, 0L);
            if (size > endpoint.getMaxInlineBytes()) {
                if (!batch.isEmpty()) {
                    segments.add(new Segment(List.copyOf(batch), false));
                    batch.clear();
                    batchBytes = 0;
                }
                segments.add(new Segment(List.of(uid), true));
                continue;
            }
            if (!batch.isEmpty() && batchBytes + size > FETCH_BUDGET_BYTES) {
                segments.add(new Segment(List.copyOf(batch), false));
                batch.clear();
                batchBytes = 0;
            }
            batch.add(uid);
            batchBytes += size;
        }
        if (!batch.isEmpty()) {
            segments.add(new Segment(List.copyOf(batch), false));
        }
        return segments;
    }

    /** Fetches one large message in pieces of {@link #SPOOL_PIECE_BYTES} into a temp file. */
    private FetchedMessage spool(IMAPFolder folder, long uid) throws Exception {
        java.io.File file = java.io.File.createTempFile("mailbridge-" + uid + "-", ".eml");
        file.deleteOnExit();
        FetchedMessage head = null;
        try (java.io.OutputStream out = new java.io.BufferedOutputStream(new java.io.FileOutputStream(file))) {
            long offset = 0;
            while (true) {
                String items = offset == 0 ? "UID FLAGS INTERNALDATE RFC822.SIZE " : "UID ";
                List<FetchedMessage> piece = fetchCommand(folder, "UID FETCH " + uid + " (" + items + "BODY.PEEK[]<"
                        + offset + "." + SPOOL_PIECE_BYTES + ">)");
                if (piece.isEmpty()) {
                    break; // expunged meanwhile
                }
                if (head == null) {
                    head = piece.get(0);
                }
                byte[] bytes = piece.get(0).content();
                out.write(bytes);
                offset += bytes.length;
                if (bytes.length < SPOOL_PIECE_BYTES) {
                    break;
                }
            }
        }
        if (head == null) {
            java.nio.file.Files.deleteIfExists(file.toPath());
            return new FetchedMessage(uid, List.of(), null, 0, new byte[0], null);
        }
        statistics.spooled.increment();
        return new FetchedMessage(uid, head.flags(), head.internalDate(), head.size(), null, file);
    }

    /** {@code UID SEARCH UID from:* <criteria>}, filtered to UIDs >= from ({@code n:*} always holds the last UID). */
    static List<Long> search(IMAPFolder folder, long fromUid, SearchExpression search) throws MessagingException {
        @SuppressWarnings("unchecked")
        List<Long> uids = (List<Long>) folder.doCommand(p -> {
            Argument args = new Argument();
            if (search.needsUtf8()) {
                args.writeAtom("CHARSET");
                args.writeAtom("UTF-8");
            }
            args.writeAtom("UID");
            args.writeAtom(fromUid + ":*");
            search.appendTo(args);
            Response[] responses = p.command("UID SEARCH", args);
            List<Long> found = new ArrayList<>();
            for (int i = 0; i < responses.length - 1; i++) {
                if (responses[i] instanceof IMAPResponse ir && ir.keyEquals("SEARCH")) {
                    long uid;
                    while ((uid = ir.readLong()) != -1) {
                        if (uid >= fromUid) {
                            found.add(uid);
                        }
                    }
                    responses[i] = null;
                }
            }
            finish(p, responses);
            return found;
        });
        return uids.stream().sorted().distinct().toList();
    }

    private List<FetchedMessage> fetch(IMAPFolder folder, List<Long> uids) throws MessagingException {
        return fetchCommand(folder, "UID FETCH " + uidSet(uids) + " (UID FLAGS INTERNALDATE RFC822.SIZE " + fetchMode.fetchItem() + ")");
    }

    private static List<FetchedMessage> fetchCommand(IMAPFolder folder, String command) throws MessagingException {
        @SuppressWarnings("unchecked")
        List<FetchedMessage> fetched = (List<FetchedMessage>) folder.doCommand(p -> {
            Response[] responses = p.command(command, null);
            List<FetchedMessage> out = new ArrayList<>();
            for (int i = 0; i < responses.length - 1; i++) {
                if (responses[i] instanceof FetchResponse fr) {
                    UID uid = fr.getItem(UID.class);
                    BODY body = fr.getItem(BODY.class);
                    if (uid == null || body == null) {
                        continue; // an unsolicited flag update, left to the folder's handlers
                    }
                    FLAGS flags = fr.getItem(FLAGS.class);
                    INTERNALDATE date = fr.getItem(INTERNALDATE.class);
                    RFC822SIZE size = fr.getItem(RFC822SIZE.class);
                    byte[] content = body.getByteArray() == null ? new byte[0] : body.getByteArray().getNewBytes();
                    out.add(new FetchedMessage(uid.uid, imapFlags(flags),
                            date == null || date.getDate() == null ? null : date.getDate().toInstant(),
                            size == null ? content.length : size.size, content, null));
                    responses[i] = null;
                }
            }
            finish(p, responses);
            return out;
        });
        fetched.sort((a, b) -> Long.compare(a.uid(), b.uid()));
        return fetched;
    }

    private static void finish(IMAPProtocol p, Response[] responses) throws ProtocolException {
        Response last = responses[responses.length - 1];
        responses[responses.length - 1] = null;
        p.notifyResponseHandlers(responses);
        p.handleResult(last);
    }

    private void applyPostAction(IMAPFolder folder, List<Long> uids) {
        if (uids.isEmpty() || !postAction.modifiesMailbox()) {
            return;
        }
        String set = uidSet(uids);
        try {
            folder.doCommand(p -> {
                switch (postAction.kind()) {
                    case SEEN -> p.simpleCommand("UID STORE " + set + " +FLAGS.SILENT (\\Seen)", null);
                    case FLAG -> p.simpleCommand("UID STORE " + set + " +FLAGS.SILENT (" + postAction.argument() + ")", null);
                    case MOVE -> {
                        Argument target = new Argument().writeString(BASE64MailboxEncoder.encode(postAction.argument()));
                        if (p.hasCapability("MOVE")) {
                            p.simpleCommand("UID MOVE " + set, target);
                        } else {
                            p.simpleCommand("UID COPY " + set, target);
                            deleteUids(p, set);
                        }
                    }
                    case DELETE -> deleteUids(p, set);
                    default -> { }
                }
                return null;
            });
        } catch (MessagingException e) {
            LOG.warn("{}: after={} failed for uid {}: {} (the records were delivered; the mailbox is unchanged)",
                    folder.getFullName(), endpoint.getAfter(), set, e.getMessage());
        }
    }

    private static void deleteUids(IMAPProtocol p, String set) throws ProtocolException {
        p.simpleCommand("UID STORE " + set + " +FLAGS.SILENT (\\Deleted)", null);
        if (p.hasCapability("UIDPLUS")) {
            p.simpleCommand("UID EXPUNGE " + set, null);
        } else {
            // a plain EXPUNGE would also remove messages others marked \Deleted: leave them marked
            LOG.warn("Server has no UIDPLUS: uid {} marked \\Deleted but not expunged", set);
        }
    }

    /** Compact UID set: 3,5:9,12. */
    static String uidSet(List<Long> sortedUids) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < sortedUids.size()) {
            long start = sortedUids.get(i);
            long end = start;
            while (i + 1 < sortedUids.size() && sortedUids.get(i + 1) == end + 1) {
                end = sortedUids.get(++i);
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(start);
            if (end != start) {
                sb.append(':').append(end);
            }
            i++;
        }
        return sb.toString();
    }

    static List<String> imapFlags(Flags flags) {
        List<String> out = new ArrayList<>();
        if (flags == null) {
            return out;
        }
        for (Flags.Flag f : flags.getSystemFlags()) {
            if (f == Flags.Flag.ANSWERED) {
                out.add("\\Answered");
            } else if (f == Flags.Flag.DELETED) {
                out.add("\\Deleted");
            } else if (f == Flags.Flag.DRAFT) {
                out.add("\\Draft");
            } else if (f == Flags.Flag.FLAGGED) {
                out.add("\\Flagged");
            } else if (f == Flags.Flag.RECENT) {
                out.add("\\Recent");
            } else if (f == Flags.Flag.SEEN) {
                out.add("\\Seen");
            }
        }
        out.addAll(List.of(flags.getUserFlags()));
        return out;
    }

    private void checkKeywordsAllowed() throws MessagingException {
        try {
            for (String name : endpoint.folderList()) {
                Folder folder = connectedStore().getFolder(name);
                folder.open(Folder.READ_WRITE);
                try {
                    if (!folder.getPermanentFlags().contains(Flags.Flag.USER)) {
                        throw new IllegalStateException("mail.imap.after=" + endpoint.getAfter() + ": folder '" + name
                                + "' on " + account + " does not allow keywords (PERMANENTFLAGS has no \\*)");
                    }
                } finally {
                    folder.close(false);
                }
            }
        } finally {
            closeStore();
        }
    }

    private Store connectedStore() throws MessagingException {
        // no isConnected() here: it costs a NOOP per poll; a dead connection fails the poll and is reopened
        if (store == null) {
            closeStore();
            String protocol = endpoint.isSsl() ? "imaps" : "imap";
            Properties props = new Properties();
            String prefix = "mail." + protocol + ".";
            props.put(prefix + "connectiontimeout", String.valueOf(endpoint.getTimeout()));
            props.put(prefix + "timeout", String.valueOf(endpoint.getTimeout()));
            props.put(prefix + "writetimeout", String.valueOf(endpoint.getTimeout()));
            props.put(prefix + "peek", "true");
            if (endpoint.isStarttls()) {
                props.put(prefix + "starttls.enable", "true");
                props.put(prefix + "starttls.required", "true");
            }
            if (endpoint.getSslTrust() != null && !endpoint.getSslTrust().isBlank()) {
                props.put(prefix + "ssl.trust", endpoint.getSslTrust());
            }
            if (endpoint.isSsl() || endpoint.isStarttls()) {
                props.put(prefix + "ssl.checkserveridentity", "true");
            }
            endpoint.login().configure(props, protocol); // XOAUTH2 when auth=oauth2
            Session session = Session.getInstance(props);
            session.setDebug(endpoint.isDebug());
            Store s = session.getStore(protocol);
            // password, or a token from the provider asked on every connect (one refresh + retry when rejected)
            endpoint.login().connect(s, endpoint.getHost(), endpoint.effectivePort(), endpoint.getUsername(), endpoint.getPassword());
            store = s;
            LOG.debug("Connected to {}://{}:{} as {}", protocol, endpoint.getHost(), endpoint.effectivePort(), endpoint.getUsername());
        }
        return store;
    }

    private void closeStore() {
        for (IMAPFolder folder : openFolders.values()) {
            try {
                if (folder.isOpen()) {
                    folder.close(false);
                }
            } catch (MessagingException | RuntimeException e) {
                LOG.debug("Closing folder {} failed", folder.getFullName(), e);
            }
        }
        openFolders.clear();
        if (store != null) {
            try {
                store.close();
            } catch (MessagingException e) {
                LOG.debug("Closing the IMAP connection failed", e);
            }
            store = null;
        }
    }

    /** The server changed a folder's UIDVALIDITY and the configuration says to stop. */
    public static class UidValidityChangedException extends MessagingException {
        public UidValidityChangedException(String account, String folder, long was, long now) {
            super("UIDVALIDITY of " + account + " folder " + folder + " changed from " + was + " to " + now
                    + " and mail.imap.on-uidvalidity-change=fail: stored progress is void. Decide how to resume, then "
                    + "set on-uidvalidity-change to since-last-date, all or now, or delete the folder's checkpoint.");
        }
    }
}
