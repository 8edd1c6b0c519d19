package io.mailbridge.app;

import java.util.ArrayList;
import java.util.List;

/**
 * What one part of {@code --check} found: the lines it prints and what failed. Each probe fills its
 * own, so probes can run at the same time and still print in a fixed order.
 */
final class CheckFindings {

    private final List<String> lines = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    /** A line of the report; {@code check } is put in front, so scripts can pick the report out of the log. */
    void line(String text) {
        lines.add("check " + text);
    }

    /** @param what the thing that failed, e.g. {@code account=support} or {@code smtp=mail.example.com:587} */
    void failed(String what, String why) {
        failures.add("check failed " + what + ": " + why);
    }

    List<String> lines() {
        return lines;
    }

    List<String> failures() {
        return failures;
    }

    /** A probe that did not finish in time, or threw where it should have reported. */
    static CheckFindings failure(String what, String why) {
        CheckFindings f = new CheckFindings();
        f.failed(what, why);
        return f;
    }
}
