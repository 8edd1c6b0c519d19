package io.mailbridge.app;

import io.mailbridge.component.Causes;

/** Why a probe failed, in one line: the innermost cause's message (the outer ones mostly wrap it). */
final class ProbeErrors {

    private ProbeErrors() {
    }

    static String reason(Throwable e) {
        Throwable root = Causes.root(e);
        String message = root.getMessage() == null || root.getMessage().isBlank() ? "" : ": " + root.getMessage();
        return oneLine(root.getClass().getSimpleName() + message);
    }

    /** A server's reply or an exception message as one line: the report is read line by line. */
    static String oneLine(String text) {
        return text == null ? "" : text.trim().replaceAll("\\s*[\r\n]+\\s*", " ");
    }
}
