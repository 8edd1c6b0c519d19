package io.mailbridge.imap.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.eclipse.angus.mail.iap.Argument;

/**
 * An RFC 3501 SEARCH expression as users write it ({@code UNSEEN SINCE 1-Nov-2026 OR FROM "billing"
 * SUBJECT "invoice"}), validated at startup and sent to the server verbatim in structure: it is
 * always evaluated by the server, never by downloading the folder.
 *
 * <p>Jakarta Mail's {@code SearchTerm} is not used on purpose: it cannot express every key (HEADER
 * with an empty value, KEYWORD on servers it does not know, NEW/OLD/RECENT) and silently falls back
 * to client-side matching, which downloads the folder.
 */
public final class SearchExpression {

    /** Keys without an argument. */
    private static final List<String> FLAG_KEYS = List.of("ALL", "ANSWERED", "DELETED", "DRAFT", "FLAGGED", "NEW",
            "OLD", "RECENT", "SEEN", "UNANSWERED", "UNDELETED", "UNDRAFT", "UNFLAGGED", "UNSEEN");
    private static final List<String> STRING_KEYS = List.of("BCC", "BODY", "CC", "FROM", "SUBJECT", "TEXT", "TO");
    private static final List<String> DATE_KEYS = List.of("BEFORE", "ON", "SINCE", "SENTBEFORE", "SENTON",
            "SENTSINCE");
    private static final List<String> NUMBER_KEYS = List.of("LARGER", "SMALLER");
    private static final List<String> KEYWORD_KEYS = List.of("KEYWORD", "UNKEYWORD");
    private static final Pattern DATE = Pattern.compile(
            "(?i)([1-9]|[0-2][0-9]|3[01])-(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-[0-9]{4}");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,19}");
    private static final Pattern UID_SET = Pattern.compile("(([0-9]+|\\*)(:([0-9]+|\\*))?)(,([0-9]+|\\*)(:([0-9]+|\\*))?)*");
    /** atom-specials of RFC 3501 plus the characters a keyword may not contain. */
    private static final Pattern FLAG_KEYWORD = Pattern.compile("[^\\s(){%*\"\\\\\\]\\x00-\\x1f\\x7f]+");

    private sealed interface Node permits Atom, Str, Group {
    }

    private record Atom(String text) implements Node {
    }

    private record Str(String text) implements Node {
    }

    private record Group(List<Node> nodes) implements Node {
    }

    private final String source;
    private final List<Node> nodes;

    private SearchExpression(String source, List<Node> nodes) {
        this.source = source;
        this.nodes = nodes;
    }

    /** The expression as the user wrote it. */
    public String source() {
        return source;
    }

    /**
     * Parses and validates an expression.
     *
     * @throws InvalidSearchException naming the bad token and its position
     */
    public static SearchExpression parse(String expression) {
        if (expression == null || expression.isBlank()) {
            return parse("ALL");
        }
        Parser p = new Parser(expression);
        List<Node> nodes = new ArrayList<>();
        p.skipSpaces();
        while (!p.atEnd()) {
            p.parseKey(nodes);
            p.skipSpaces();
        }
        return new SearchExpression(expression, List.copyOf(nodes));
    }

    /** This expression ANDed with {@code SINCE date} (an RFC 3501 date). */
    public SearchExpression andSince(String rfc3501Date) {
        List<Node> more = new ArrayList<>(nodes);
        more.add(new Atom("SINCE"));
        more.add(new Atom(rfc3501Date));
        return new SearchExpression(source + " SINCE " + rfc3501Date, List.copyOf(more));
    }

    /** True when a string argument is not ASCII, so the SEARCH needs {@code CHARSET UTF-8}. */
    public boolean needsUtf8() {
        return needsUtf8(nodes);
    }

    private static boolean needsUtf8(List<Node> nodes) {
        for (Node n : nodes) {
            if (n instanceof Str s && !StandardCharsets.US_ASCII.newEncoder().canEncode(s.text())) {
                return true;
            }
            if (n instanceof Group g && needsUtf8(g.nodes())) {
                return true;
            }
        }
        return false;
    }

    /** Appends the search keys to an IMAP command argument; strings become quoted strings or literals. */
    public void appendTo(Argument args) {
        appendTo(args, nodes);
    }

    private static void appendTo(Argument args, List<Node> nodes) {
        for (Node n : nodes) {
            if (n instanceof Atom a) {
                args.writeAtom(a.text());
            } else if (n instanceof Str s) {
                args.writeString(s.text(), StandardCharsets.UTF_8);
            } else if (n instanceof Group g) {
                Argument inner = new Argument();
                appendTo(inner, g.nodes());
                args.writeArgument(inner);
            }
        }
    }

    @Override
    public String toString() {
        return source;
    }

    /** A search expression that is not valid RFC 3501 SEARCH syntax. */
    public static class InvalidSearchException extends IllegalArgumentException {
        public InvalidSearchException(String message) {
            super(message);
        }
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        void skipSpaces() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        void parseKey(List<Node> out) {
            skipSpaces();
            if (atEnd()) {
                throw error(pos, "a search key is missing at the end");
            }
            if (s.charAt(pos) == '(') {
                out.add(parseGroup());
                return;
            }
            if (s.charAt(pos) == ')') {
                throw error(pos, "')' without a matching '('");
            }
            int start = pos;
            String word = readAtom();
            String key = word.toUpperCase(Locale.ROOT);
            if (FLAG_KEYS.contains(key)) {
                out.add(new Atom(key));
            } else if (STRING_KEYS.contains(key)) {
                out.add(new Atom(key));
                out.add(new Str(readAstring(key)));
            } else if (DATE_KEYS.contains(key)) {
                out.add(new Atom(key));
                out.add(new Atom(readMatching(key, DATE, "a date like 1-Nov-2026")));
            } else if (NUMBER_KEYS.contains(key)) {
                out.add(new Atom(key));
                out.add(new Atom(readMatching(key, NUMBER, "a size in bytes")));
            } else if (KEYWORD_KEYS.contains(key)) {
                out.add(new Atom(key));
                out.add(new Atom(readMatching(key, FLAG_KEYWORD, "a keyword such as $Forwarded")));
            } else if (key.equals("HEADER")) {
                out.add(new Atom(key));
                out.add(new Str(readAstring("HEADER (field name)")));
                out.add(new Str(readAstring("HEADER (value)")));
            } else if (key.equals("UID")) {
                out.add(new Atom(key));
                out.add(new Atom(readMatching(key, UID_SET, "a UID set such as 100:*")));
            } else if (key.equals("NOT")) {
                out.add(new Atom(key));
                parseOperand(out, "NOT");
            } else if (key.equals("OR")) {
                out.add(new Atom(key));
                parseOperand(out, "OR");
                parseOperand(out, "OR");
            } else if (NUMBER.matcher(word).matches() || UID_SET.matcher(word).matches()) {
                throw error(start, "message sequence numbers are not supported (they shift); use UID " + word);
            } else {
                throw error(start, "unknown search key '" + word + "'");
            }
        }

        /** {@code (key key ...)}, starting at the opening parenthesis. */
        private Group parseGroup() {
            int open = pos++;
            List<Node> inner = new ArrayList<>();
            skipSpaces();
            if (!atEnd() && s.charAt(pos) == ')') {
                throw error(open, "empty parentheses");
            }
            while (true) {
                skipSpaces();
                if (atEnd()) {
                    throw error(open, "this parenthesis is never closed");
                }
                if (s.charAt(pos) == ')') {
                    pos++;
                    return new Group(List.copyOf(inner));
                }
                parseKey(inner);
            }
        }

        private void parseOperand(List<Node> out, String op) {
            skipSpaces();
            if (atEnd()) {
                throw error(pos, op + " needs " + (op.equals("OR") ? "two search keys" : "a search key"));
            }
            parseKey(out);
        }

        private String readAtom() {
            int start = pos;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (Character.isWhitespace(c) || c == '(' || c == ')' || c == '"' || c == '{') {
                    break;
                }
                pos++;
            }
            if (pos == start) {
                throw error(start, "expected a search key");
            }
            return s.substring(start, pos);
        }

        private String readMatching(String key, Pattern pattern, String what) {
            skipSpaces();
            int start = pos;
            if (atEnd()) {
                throw error(start, key + " needs " + what);
            }
            String value = s.charAt(pos) == '"' ? readQuoted() : readAtom();
            if (!pattern.matcher(value).matches()) {
                throw error(start, key + " needs " + what + ", not '" + value + "'");
            }
            return value;
        }

        /** astring: an atom, a quoted string or a literal {n} followed by n characters. */
        private String readAstring(String key) {
            skipSpaces();
            if (atEnd()) {
                throw error(pos, key + " needs a string");
            }
            char c = s.charAt(pos);
            if (c == '"') {
                return readQuoted();
            }
            if (c == '{') {
                return readLiteral();
            }
            if (c == '(' || c == ')') {
                throw error(pos, key + " needs a string, not '" + c + "'");
            }
            return readAtom();
        }

        private String readQuoted() {
            int start = pos++;
            StringBuilder sb = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\' && pos < s.length()) {
                    c = s.charAt(pos++);
                }
                if (c == '\r' || c == '\n') {
                    throw error(pos - 1, "line break inside a quoted string");
                }
                sb.append(c);
            }
            throw error(start, "this quoted string is never closed");
        }

        private String readLiteral() {
            int start = pos;
            int close = s.indexOf('}', pos);
            if (close < 0) {
                throw error(start, "literal without closing '}'");
            }
            String count = s.substring(pos + 1, close);
            if (!NUMBER.matcher(count).matches()) {
                throw error(start, "literal length '" + count + "' is not a number");
            }
            int n = Integer.parseInt(count);
            pos = close + 1;
            // the literal's CRLF (or, as written in a properties file, one space) precedes the data
            if (s.startsWith("\r\n", pos)) {
                pos += 2;
            } else if (pos < s.length() && (s.charAt(pos) == '\n' || s.charAt(pos) == ' ')) {
                pos++;
            }
            byte[] rest = s.substring(pos).getBytes(StandardCharsets.UTF_8);
            if (rest.length < n) {
                throw error(start, "literal announces " + n + " bytes but only " + rest.length + " follow");
            }
            String value = new String(rest, 0, n, StandardCharsets.UTF_8);
            pos += value.length();
            return value;
        }

        private InvalidSearchException error(int at, String what) {
            return new InvalidSearchException("invalid IMAP search: " + what + " at position " + (at + 1)
                    + "\n  " + s.replace('\n', ' ').replace('\r', ' ') + "\n  " + " ".repeat(Math.max(0, at)) + "^");
        }
    }

}
