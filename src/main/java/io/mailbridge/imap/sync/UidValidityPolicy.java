package io.mailbridge.imap.sync;

/** What a new UIDVALIDITY does to a folder's progress; Camel binds since-last-date to SINCE_LAST_DATE. */
public enum UidValidityPolicy {
    SINCE_LAST_DATE, ALL, NOW, FAIL
}
