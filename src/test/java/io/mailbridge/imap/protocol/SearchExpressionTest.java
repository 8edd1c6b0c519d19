package io.mailbridge.imap.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SearchExpressionTest {

    @ParameterizedTest
    @ValueSource(strings = { "ALL", "UNSEEN SINCE 1-Nov-2026 OR FROM \"billing\" SUBJECT \"invoice\"",
        "ANSWERED BCC x BEFORE 1-Jan-2026 BODY hello CC \"a b\" DELETED DRAFT FLAGGED FROM a HEADER X-Prio 1",
        "KEYWORD $Forwarded LARGER 100 NEW NOT SEEN OLD ON 5-Nov-2026 OR SEEN UNSEEN RECENT SEEN SENTBEFORE 1-Dec-2026",
        "SENTON 1-Nov-2026 SENTSINCE 01-Nov-2026 SINCE 1-nov-2026 SMALLER 5000 SUBJECT x TEXT y TO z UNANSWERED",
        "UNDELETED UNDRAFT UNFLAGGED UNKEYWORD $Junk UNSEEN", "(FROM a (SUBJECT b OR TO c CC d))",
        "NOT (FROM a SUBJECT b)", "UID 100:*,5", "SUBJECT {7} invoice", "HEADER \"List-Id\" \"\"", "unseen" })
    void acceptsRfc3501Syntax(String expression) {
        assertEquals(expression, SearchExpression.parse(expression).source());
    }

    @Test
    void errorsQuoteTheExpressionAndPointAtTheBadToken() {
        var e = assertThrows(SearchExpression.InvalidSearchException.class,
                () -> SearchExpression.parse("UNSEEN SINCE yesterday"));
        assertTrue(e.getMessage().contains("SINCE needs a date like 1-Nov-2026, not 'yesterday'"), e.getMessage());
        assertTrue(e.getMessage().contains("position 14"), e.getMessage());
        assertTrue(e.getMessage().contains("UNSEEN SINCE yesterday\n" + "  " + " ".repeat(13) + "^"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "UNREAD", "OR FROM a", "NOT", "(FROM a", "FROM a)", "SUBJECT \"open", "LARGER big",
        "KEYWORD", "1:5", "()", "SUBJECT {99} short", "HEADER X-Only" })
    void rejectsWhatAServerWouldRefuse(String expression) {
        assertThrows(SearchExpression.InvalidSearchException.class, () -> SearchExpression.parse(expression));
    }

    @Test
    void nonAsciiStringsAskForUtf8() {
        assertFalse(SearchExpression.parse("OR FROM \"billing dept\" SUBJECT invoice").needsUtf8());
        assertTrue(SearchExpression.parse("SUBJECT Rechnungsprüfung").needsUtf8());
        assertTrue(SearchExpression.parse("NOT (FROM \"Jürgen\")").needsUtf8());
    }
}
