-- mailbridge tables in PostgreSQL (mail.checkpoint.store=jdbc). Created at startup when missing;
-- mailbridge runs this file with Spring's ScriptUtils: statements end with ';', '--' starts a comment.

-- Spring Integration's lock table, exactly as its DefaultLockRepository expects it
-- (org/springframework/integration/jdbc/schema-postgresql.sql). mailbridge uses REGION 'mailbridge';
-- LOCK_KEY is the UUID of the lock name ('mailbridge-<account>', 'mailbridge-outbound'), CLIENT_ID
-- the replica's id, CREATED_DATE the holder's own clock (UTC) at its last renewal.
CREATE TABLE IF NOT EXISTS INT_LOCK (
    LOCK_KEY CHAR(36) NOT NULL,
    REGION VARCHAR(100) NOT NULL,
    CLIENT_ID CHAR(36),
    CREATED_DATE TIMESTAMP NOT NULL,
    CONSTRAINT INT_LOCK_PK PRIMARY KEY (LOCK_KEY, REGION)
)
;
-- one row per (account, folder): every matching message up to last_uid under uid_validity was delivered
CREATE TABLE IF NOT EXISTS mailbridge_checkpoint (
    account VARCHAR(500) NOT NULL,
    folder VARCHAR(1000) NOT NULL,
    uid_validity BIGINT NOT NULL,
    last_uid BIGINT NOT NULL,
    last_internal_date TIMESTAMP WITH TIME ZONE,
    -- the UIDVALIDITY before the last change, and when that change was recorded
    previous_uid_validity BIGINT,
    uid_validity_changed_at TIMESTAMP WITH TIME ZONE,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    -- CLIENT_ID of the replica that wrote the row last
    updated_by VARCHAR(36),
    CONSTRAINT mailbridge_checkpoint_pk PRIMARY KEY (account, folder)
)
;
-- one row per (account, folder) with mail.imap.changes=true: the messages delivered as records with the flags
-- last reported for them (one line per distinct flag set: flags, a tab, a UID set), and the highest MODSEQ handled
CREATE TABLE IF NOT EXISTS mailbridge_changes (
    account VARCHAR(500) NOT NULL,
    folder VARCHAR(1000) NOT NULL,
    uid_validity BIGINT NOT NULL,
    highest_modseq BIGINT,
    messages TEXT NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated_by VARCHAR(36),
    CONSTRAINT mailbridge_changes_pk PRIMARY KEY (account, folder)
)
;
-- Message-IDs the SMTP server accepted, so no replica sends a request twice
CREATE TABLE IF NOT EXISTS mailbridge_sent (
    message_id VARCHAR(998) NOT NULL,
    sent_record TEXT NOT NULL,
    sent_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    CONSTRAINT mailbridge_sent_pk PRIMARY KEY (message_id)
)
;
-- the replicas alive (mail.cluster.service=jdbc): each one renews its row every quarter lease and
-- deletes it on a clean stop; the accounts are shared out evenly over those seen within one lease.
-- client_id is the CLIENT_ID of the replica's INT_LOCK rows (one per start); rows not renewed for
-- three leases (replicas that died) are removed by the others
CREATE TABLE IF NOT EXISTS mailbridge_replica (
    region VARCHAR(100) NOT NULL,
    client_id VARCHAR(36) NOT NULL,
    last_seen TIMESTAMP WITH TIME ZONE NOT NULL,
    -- who the replica is: mail.cluster.replica-id, where it runs, since when, and where its health and
    -- metrics answer. A table of an earlier version gets the columns it lacks at startup, and only those
    -- (cluster/Database.java: ALTER TABLE needs the table's owner, so nothing is altered that need not be)
    replica_id VARCHAR(200),
    host VARCHAR(255),
    pid BIGINT,
    started_at TIMESTAMP WITH TIME ZONE,
    management_url VARCHAR(500),
    CONSTRAINT mailbridge_replica_pk PRIMARY KEY (region, client_id)
)
;
-- what each INT_LOCK row locks: LOCK_KEY is a UUID of the lock name, so this names it
-- ('account:<account>', 'outbound'); written by every replica at start. docs/scaling.md has the
-- query that lists who holds what
CREATE TABLE IF NOT EXISTS mailbridge_lock (
    region VARCHAR(100) NOT NULL,
    lock_key CHAR(36) NOT NULL,
    lock_name VARCHAR(600) NOT NULL,
    CONSTRAINT mailbridge_lock_pk PRIMARY KEY (region, lock_key)
)
;
