-- Migration 8: requests for information: a request is a broadcast of kind
-- 'request' with options and a closing time; reminders are broadcasts linked
-- to it; each inbound message linked to a request (or, when it could be an
-- answer to several, to every candidate) is one reply row.
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
