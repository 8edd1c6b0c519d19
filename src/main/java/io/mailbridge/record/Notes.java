package io.mailbridge.record;

import java.util.ArrayList;
import java.util.List;

/** What a record says about its own making: errors (something could not be read) and warnings (something was repaired). */
final class Notes {

    private List<String> errors;
    private List<String> warnings;

    void error(String e) {
        if (errors == null) {
            errors = new ArrayList<>(2);
        }
        errors.add(e);
    }

    void warn(String w) {
        if (warnings == null) {
            warnings = new ArrayList<>(2);
        }
        warnings.add(w);
    }

    /** The record's {@code error}: null when nothing failed. */
    String joinedErrors() {
        return errors == null ? null : String.join("; ", errors);
    }

    /** The record's {@code warnings}: empty when nothing was repaired. */
    List<String> warnings() {
        return warnings == null ? List.of() : List.copyOf(warnings);
    }
}
