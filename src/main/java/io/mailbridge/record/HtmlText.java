package io.mailbridge.record;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeVisitor;

/**
 * Plain text of an HTML body, for messages that have no text/plain part: the text a browser shows,
 * where block elements ({@code p}, {@code div}, {@code li}, {@code tr}, headings...) and {@code <br>}
 * end a line. White space inside a line collapses to one space (kept as is inside {@code <pre>});
 * lines are trimmed, blank lines dropped; scripts, styles and the head are not text.
 */
final class HtmlText {

    private HtmlText() {
    }

    static String render(String html) {
        Element body = Jsoup.parse(html).body();
        Lines lines = new Lines();
        body.traverse(lines);
        return lines.result();
    }

    private static final class Lines implements NodeVisitor {
        private final StringBuilder out = new StringBuilder();
        private final StringBuilder line = new StringBuilder();
        private int pre;

        @Override
        public void head(Node node, int depth) {
            if (node instanceof TextNode text) {
                append(pre > 0 ? text.getWholeText() : text.text());
            } else if (node instanceof Element e) {
                if (e.normalName().equals("pre")) {
                    pre++;
                }
                if (e.isBlock() || e.normalName().equals("br")) {
                    endLine();
                }
            }
        }

        @Override
        public void tail(Node node, int depth) {
            if (node instanceof Element e) {
                if (e.isBlock()) {
                    endLine();
                }
                if (e.normalName().equals("pre")) {
                    pre--;
                }
            }
        }

        private void append(String text) {
            if (pre > 0) {
                String[] parts = text.split("\r?\n", -1);
                for (int i = 0; i < parts.length; i++) {
                    if (i > 0) {
                        endLine();
                    }
                    line.append(parts[i]);
                }
            } else {
                // text() has runs of white space collapsed already; avoid a double space between two runs
                boolean lineEndsInSpace = line.length() == 0 || line.charAt(line.length() - 1) == ' ';
                line.append(lineEndsInSpace && text.startsWith(" ") ? text.substring(1) : text);
            }
        }

        private void endLine() {
            String l = pre > 0 ? line.toString().stripTrailing() : line.toString().strip();
            if (!l.isBlank()) {
                out.append(l).append('\n');
            }
            line.setLength(0);
        }

        String result() {
            endLine();
            return out.toString();
        }
    }
}
