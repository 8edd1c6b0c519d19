package io.mailbridge.imap.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What happens to a message in the mailbox once its record was delivered ({@code mail.imap.after}). */
public record PostAction(Kind kind, String argument) {

    public enum Kind { NONE, SEEN, FLAG, MOVE, DELETE }

    public static PostAction parse(String value) {
        String v = value == null ? "none" : value.trim();
        int colon = v.indexOf(':');
        String kind = (colon < 0 ? v : v.substring(0, colon)).toLowerCase(Locale.ROOT);
        String arg = colon < 0 ? null : v.substring(colon + 1).trim();
        switch (kind) {
            case "none", "seen", "delete" -> {
                if (arg != null) {
                    throw new IllegalArgumentException("'" + value + "': " + kind + " takes no argument");
                }
                return new PostAction(Kind.valueOf(kind.toUpperCase(Locale.ROOT)), null);
            }
            case "flag", "move" -> {
                if (arg == null || arg.isEmpty()) {
                    throw new IllegalArgumentException("'" + value + "': write " + kind + ":<"
                            + (kind.equals("flag") ? "keyword" : "folder") + ">");
                }
                if (kind.equals("flag") && !arg.matches("[^\\s(){%*\"\\\\\\]]+")) {
                    throw new IllegalArgumentException("'" + arg + "' is not a valid IMAP keyword");
                }
                return new PostAction(Kind.valueOf(kind.toUpperCase(Locale.ROOT)), arg);
            }
            default -> throw new IllegalArgumentException(
                    "'" + value + "' is not one of none, seen, flag:<keyword>, move:<folder>, delete");
        }
    }

    /** As the user writes it: {@code none}, {@code flag:$Forwarded}, {@code move:Archive}. */
    @Override
    public String toString() {
        String name = kind.name().toLowerCase(Locale.ROOT);
        return argument == null ? name : name + ":" + argument;
    }

    /** True when the folder must be opened read-write. */
    /** A message's flags once this post-action was applied to it (seen and flag: add their flag). */
    public List<String> flagsAfter(List<String> flags) {
        List<String> out = new ArrayList<>(flags);
        switch (kind) {
            case SEEN -> out.add("\\Seen");
            case FLAG -> out.add(argument);
            default -> { }
        }
        return out;
    }

    public boolean modifiesMailbox() {
        return kind != Kind.NONE;
    }
}
