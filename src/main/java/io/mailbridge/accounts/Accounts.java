package io.mailbridge.accounts;

import java.util.List;

/** The mailboxes as bound and checked at startup (registry bean {@value #BEAN}); their routes are made from it. */
public record Accounts(List<Account> all) {

    public static final String BEAN = "mailbridgeAccounts";
}
