CREATE TABLE members (
        id             INTEGER PRIMARY KEY,
        name           TEXT NOT NULL,
        phone          TEXT NOT NULL UNIQUE,
        role           TEXT NOT NULL,
        location       TEXT NOT NULL,
        status         TEXT NOT NULL
                       CHECK (status IN ('pending', 'active', 'opted_out', 'lapsed')),
        consent_at     TEXT NOT NULL,
        consent_source TEXT NOT NULL,
        consent_by     TEXT NOT NULL,
        created_at     TEXT NOT NULL,
        updated_at     TEXT NOT NULL
    , status_before_opt_out TEXT);
CREATE INDEX members_status ON members (status);
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
CREATE TABLE status_events (
        id            INTEGER PRIMARY KEY,
        wamid         TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('sent', 'delivered', 'read', 'failed')),
        at            TEXT NOT NULL,
        error_code    INTEGER,
        error_title   TEXT,
        source        TEXT NOT NULL,
        received_at   TEXT NOT NULL, delivery_id INTEGER,
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
    , flagged TEXT);
CREATE INDEX inbound_member ON inbound (member_id);
CREATE INDEX inbound_at ON inbound (at);
CREATE TABLE settings (
        key    TEXT PRIMARY KEY,
        value  TEXT NOT NULL
    );
CREATE TABLE "webhook_events" (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        body         BLOB NOT NULL,
        received_at  TEXT NOT NULL,
        applied_at   TEXT,
        acked_at     TEXT
    );
CREATE INDEX status_events_waiting ON status_events (received_at) WHERE delivery_id IS NULL;
CREATE INDEX deliveries_member_broadcast ON deliveries (member_id, broadcast_id);
CREATE INDEX deliveries_phone ON deliveries (phone);
CREATE TABLE requests (
        broadcast_id  INTEGER PRIMARY KEY REFERENCES broadcasts (id),
        question      TEXT NOT NULL,
        options       TEXT NOT NULL,
        buttons       TEXT,
        survey_url    TEXT,
        -- the end of the survey link when the template has a URL button for it
        survey_button TEXT,
        closes_at     TEXT NOT NULL,
        closed_at     TEXT,
        closed_by     TEXT
    );
CREATE TABLE request_reminders (
        broadcast_id  INTEGER PRIMARY KEY REFERENCES broadcasts (id),
        request_id    INTEGER NOT NULL REFERENCES requests (broadcast_id),
        created_at    TEXT NOT NULL
    );
CREATE INDEX request_reminders_request ON request_reminders (request_id, created_at);
CREATE TABLE request_replies (
        inbound_id    INTEGER NOT NULL REFERENCES inbound (id) ON DELETE CASCADE,
        request_id    INTEGER NOT NULL REFERENCES requests (broadcast_id),
        member_id     INTEGER REFERENCES members (id) ON DELETE SET NULL,
        option        INTEGER,
        how           TEXT NOT NULL CHECK (how IN ('button', 'context', 'only_open', 'ambiguous')),
        late          INTEGER NOT NULL,
        PRIMARY KEY (inbound_id, request_id)
    );
CREATE INDEX request_replies_request ON request_replies (request_id, member_id);
CREATE TABLE account_events (
        id                INTEGER PRIMARY KEY,
        field             TEXT NOT NULL,
        event             TEXT,
        known             INTEGER NOT NULL,
        business_account  TEXT,
        template_name     TEXT,
        template_language TEXT,
        member_id         INTEGER REFERENCES members (id) ON DELETE SET NULL,
        detail            TEXT NOT NULL,
        at                TEXT NOT NULL,
        source            TEXT NOT NULL,
        received_at       TEXT NOT NULL,
        digest            TEXT NOT NULL UNIQUE
    );
CREATE INDEX account_events_field ON account_events (field, at);
CREATE INDEX account_events_template ON account_events (template_name, at);
CREATE TABLE templates (
        name              TEXT NOT NULL,
        language          TEXT NOT NULL,
        status            TEXT NOT NULL,
        category          TEXT NOT NULL,
        previous_category TEXT,
        body              TEXT,
        body_params       INTEGER NOT NULL,
        buttons           TEXT NOT NULL,
        quality           TEXT,
        synced_at         TEXT NOT NULL,
        PRIMARY KEY (name, language)
    );
CREATE TABLE delivery_totals (
        broadcast_id  INTEGER NOT NULL REFERENCES broadcasts (id),
        state         TEXT NOT NULL,
        error_class   TEXT,
        error_code    INTEGER,
        n             INTEGER NOT NULL
    );
CREATE INDEX delivery_totals_broadcast ON delivery_totals (broadcast_id);
CREATE TABLE "audit" (
        id       INTEGER PRIMARY KEY AUTOINCREMENT,
        at       TEXT NOT NULL,
        os_user  TEXT NOT NULL,
        command  TEXT NOT NULL,
        outcome  TEXT NOT NULL,
        detail   TEXT NOT NULL
    );
CREATE TABLE relay_erasures (
        phone       TEXT PRIMARY KEY,
        owed_since  TEXT NOT NULL
    );
CREATE TRIGGER members_erase BEFORE DELETE ON members BEGIN
        DELETE FROM status_events WHERE wamid IN (SELECT wamid FROM deliveries
            WHERE (member_id = OLD.id OR phone = OLD.phone) AND wamid IS NOT NULL);
        UPDATE deliveries SET phone = NULL, wamid = NULL, error_message = NULL
            WHERE member_id = OLD.id OR phone = OLD.phone;
        UPDATE inbound SET phone = NULL, user_id = NULL, text = NULL, context_wamid = NULL,
                           wa_message_id = CAST('erased:' || id AS BLOB)
            WHERE member_id = OLD.id OR phone = OLD.phone;
        UPDATE broadcasts SET audience = json_object('test', json_object('phone', 'erased'))
            WHERE is_test = 1 AND json_extract(audience, '$.test.phone') = OLD.phone;
        DELETE FROM webhook_events
            WHERE (applied_at IS NOT NULL OR acked_at IS NOT NULL)
              AND (instr(CAST(body AS TEXT), substr(OLD.phone, 2)) > 0
                   OR instr(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(CAST(body AS TEXT), ' ', ''), char(160), ''), char(8201), ''), char(8239), ''), '-', ''), char(8211), ''), '.', ''), '(', ''), ')', ''), '/', ''), '+', ''), char(8203), ''), char(8205), ''), (CASE WHEN OLD.phone LIKE '+44%' THEN substr(OLD.phone, 4) ELSE substr(OLD.phone, 2) END)) > 0);
        DELETE FROM account_events
            WHERE member_id = OLD.id OR instr(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(detail, ' ', ''), char(160), ''), char(8201), ''), char(8239), ''), '-', ''), char(8211), ''), '.', ''), '(', ''), ')', ''), '/', ''), '+', ''), char(8203), ''), char(8205), ''), (CASE WHEN OLD.phone LIKE '+44%' THEN substr(OLD.phone, 4) ELSE substr(OLD.phone, 2) END)) > 0;
    END;
