package io.mailbridge.imap.protocol;

/** What the consumer downloads per message ({@code mail.imap.fetch}). */
public enum FetchMode {
    /** The whole message; the record has text, html and attachment metadata. */
    FULL("BODY.PEEK[]"),
    /** Only the header section: no body is downloaded. */
    HEADERS("BODY.PEEK[HEADER]"),
    /** As {@link #FULL}, and the record also carries the whole RFC 822 message, base64. */
    RAW("BODY.PEEK[]");

    private final String fetchItem;

    FetchMode(String fetchItem) {
        this.fetchItem = fetchItem;
    }

    /** The FETCH data item; always a PEEK so ingesting never sets \Seen. */
    public String fetchItem() {
        return fetchItem;
    }
}
