-- Migration 17 (issue 22): the guided sign-up conversation and the messages
-- mot sends on its own inside a member's 24-hour window.
--
-- `signups`: one row per member who signed up by message while the
-- conversation was on: the consent evidence (their first message's id and
-- time, the version of the terms sent to them), the question waiting for an
-- answer (`step`) and when it was asked, whether it was repeated, and when
-- each of the three details was answered.
--
-- `member_messages`: the outbox of those messages (the terms, each question,
-- the channel replies). A row names what to send, never its text; the sender
-- claims it, sends it and writes the outcome: `sent` (with its wamid),
-- `window_closed` (nothing is sent outside the window; Meta's 131047 is the
-- same), `failed` or `cancelled` (the member stopped or left).
--
-- Both go with their member (ON DELETE CASCADE), so erasure and the pending
-- sign-ups purge remove them.
CREATE TABLE signups (
        member_id        INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
        first_message_id TEXT NOT NULL,
        first_message_at TEXT NOT NULL,
        terms_version    TEXT NOT NULL,
        step             TEXT NOT NULL CHECK (step IN ('name', 'name_text', 'role', 'role_text',
                                                       'location', 'location_text', 'complete', 'stopped')),
        asked_at         TEXT,
        repeated         INTEGER NOT NULL DEFAULT 0,
        name_at          TEXT,
        role_at          TEXT,
        location_at      TEXT,
        updated_at       TEXT NOT NULL
    );
    CREATE TABLE member_messages (
        id          INTEGER PRIMARY KEY,
        member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
        kind        TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        claimed_at  TEXT,
        outcome     TEXT CHECK (outcome IN ('sent', 'window_closed', 'failed', 'cancelled')),
        wamid       TEXT,
        error       TEXT,
        done_at     TEXT
    );
    CREATE INDEX member_messages_member ON member_messages (member_id, kind, created_at);
    CREATE INDEX member_messages_open ON member_messages (id) WHERE outcome IS NULL;
