-- Migration 3: delivery statuses, inbound messages, and the webhook
-- receiver's raw store.
CREATE TABLE status_events (
        id            INTEGER PRIMARY KEY,
        wamid         TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('sent', 'delivered', 'read', 'failed')),
        at            TEXT NOT NULL,
        error_code    INTEGER,
        error_title   TEXT,
        source        TEXT NOT NULL,
        received_at   TEXT NOT NULL,
        UNIQUE (wamid, status)
    );
    CREATE TABLE inbound (
        id             INTEGER PRIMARY KEY,
        wa_message_id  TEXT NOT NULL UNIQUE,
        member_id      INTEGER REFERENCES members (id) ON DELETE SET NULL,
        phone          TEXT,
        user_id        TEXT,
        type           TEXT NOT NULL,
        text           TEXT,
        context_wamid  TEXT,
        broadcast_id   INTEGER REFERENCES broadcasts (id),
        action         TEXT NOT NULL,
        at             TEXT NOT NULL,
        received_at    TEXT NOT NULL
    );
    CREATE INDEX inbound_member ON inbound (member_id);
    CREATE INDEX inbound_at ON inbound (at);
    CREATE TABLE webhook_events (
        id           INTEGER PRIMARY KEY,
        body         BLOB NOT NULL,
        received_at  TEXT NOT NULL,
        applied_at   TEXT,
        acked_at     TEXT
    );
    CREATE TABLE settings (
        key    TEXT PRIMARY KEY,
        value  TEXT NOT NULL
    );
    DROP TRIGGER members_erase;
    CREATE TRIGGER members_erase BEFORE DELETE ON members BEGIN
        UPDATE deliveries SET phone = NULL WHERE member_id = OLD.id;
        UPDATE inbound SET phone = NULL, user_id = NULL, text = NULL WHERE member_id = OLD.id;
    END;
