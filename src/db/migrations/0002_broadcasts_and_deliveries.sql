-- Migration 2: broadcasts and the delivery ledger.
CREATE TABLE broadcasts (
        id            INTEGER PRIMARY KEY,
        kind          TEXT NOT NULL CHECK (kind IN ('notice', 'request')),
        body          TEXT NOT NULL,
        template      TEXT NOT NULL,
        language      TEXT NOT NULL,
        params        TEXT NOT NULL,
        audience      TEXT NOT NULL,
        is_test       INTEGER NOT NULL DEFAULT 0,
        created_by    TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        started_at    TEXT,
        finished_at   TEXT,
        not_after     TEXT NOT NULL,
        state         TEXT NOT NULL CHECK (state IN ('sending', 'paused', 'finished')),
        pause_reason  TEXT
    );
    CREATE INDEX broadcasts_created ON broadcasts (created_at);
    CREATE TABLE deliveries (
        id              INTEGER PRIMARY KEY,
        broadcast_id    INTEGER NOT NULL REFERENCES broadcasts (id),
        member_id       INTEGER REFERENCES members (id) ON DELETE SET NULL,
        phone           TEXT,
        state           TEXT NOT NULL CHECK (state IN
                        ('queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'expired', 'unknown')),
        wamid           TEXT UNIQUE,
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        error_code      INTEGER,
        error_class     TEXT,
        error_message   TEXT,
        sent_at         TEXT,
        updated_at      TEXT NOT NULL,
        UNIQUE (broadcast_id, member_id)
    );
    CREATE INDEX deliveries_state ON deliveries (broadcast_id, state);
    CREATE INDEX deliveries_member ON deliveries (member_id);
    -- Erasing a member erases the number their messages went to.
    CREATE TRIGGER members_erase BEFORE DELETE ON members BEGIN
        UPDATE deliveries SET phone = NULL WHERE member_id = OLD.id;
    END;
