package io.mailbridge.checkpoint;

/**
 * The lock (and master: namespace) names: one per account, one for the outbound route. The inbound
 * route is wrapped as {@code master:<name>:…} and the checkpoint store fences on the same name.
 */
public final class LockNames {

    public static final String OUTBOUND = "mailbridge-outbound";

    private LockNames() {
    }

    /** A master: namespace ends at the first ':', so an account holding one (an IPv6 host) is rewritten. */
    public static String forAccount(String account) {
        return "mailbridge-" + account.replace(':', '_');
    }

    /** What a lock is for, as metrics and {@code mailbridge_lock} name it: {@code outbound} or {@code account:<account>}. */
    public static String label(String lockName) {
        return OUTBOUND.equals(lockName) ? "outbound" : "account:" + lockName.substring("mailbridge-".length());
    }
}
