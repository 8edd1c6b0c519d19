package io.mailbridge.record;

import java.io.UnsupportedEncodingException;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeUtility;

/**
 * RFC 2047 encoded words ({@code =?x-unknown?Q?...?=}) in a Subject or a display name, decoded by
 * Jakarta Mail. When a word is in a charset (or encoding) Java does not know, Jakarta Mail hands back
 * the value as written and says nothing; the record keeps it as written too, and says why in a warning.
 */
final class EncodedWords {

    private EncodedWords() {
    }

    static String decode(String value, String field, Notes notes) {
        try {
            return MimeUtility.decodeText(value);
        } catch (UnsupportedEncodingException e) {
            notes.warn(undecodable(field, e));
            return value;
        }
    }

    /** The display name, decoded as Jakarta Mail decodes it; a warning when it had to stay as written. */
    static String personal(InternetAddress address, String field, Notes notes) {
        String name = address.getPersonal();
        if (name != null && name.contains("=?")) {
            // getPersonal() returns the encoded text when decoding fails: decoding it again fails the same way
            try {
                MimeUtility.decodeText(name);
            } catch (UnsupportedEncodingException e) {
                notes.warn(undecodable(field + " name", e));
            }
        }
        return name;
    }

    private static String undecodable(String field, UnsupportedEncodingException e) {
        return field + ": an encoded word in an unknown charset or encoding (" + e.getMessage()
                + ") cannot be decoded; kept as written";
    }
}
