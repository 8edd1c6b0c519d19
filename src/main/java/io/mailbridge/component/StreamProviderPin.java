package io.mailbridge.component;

/**
 * Names Angus Mail's {@code StreamProvider} in the system property that jakarta.mail-api 2.1 reads
 * first. Without it, every {@code StreamProvider.provider()} call (several per parsed message, from
 * MimeMessage, InternetHeaders, MimeBodyPart and MimeUtility) runs a fresh {@code ServiceLoader}
 * scan of the class path, reading jar entries each time (jakartaee/mail-api#699, #861). With the
 * property set, it is a {@code Class.forName} of an already loaded class. Measured on the 10,000
 * message bench corpus: 12.9 s of CPU down to 10.5 s. A value the user set is kept.
 */
public final class StreamProviderPin {

    public static final String PROPERTY = "jakarta.mail.util.StreamProvider";
    static final String ANGUS = "org.eclipse.angus.mail.util.MailStreamProvider";

    private StreamProviderPin() {
    }

    /** Idempotent; a no-op when the property is set already or Angus Mail is not on the class path. */
    public static void apply() {
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        try {
            Class.forName(ANGUS, false, StreamProviderPin.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return; // another Jakarta Mail implementation: let its ServiceLoader entry decide
        }
        System.setProperty(PROPERTY, ANGUS);
    }
}
