-- Migration 9: account events (webhook fields other than statuses and
-- messages: template status, quality and category, number quality and
-- messaging limit, account updates and alerts, marketing preferences,
-- value.errors, and fields mot does not know), append-only, deduplicated by
-- digest. `detail` is the change's value as Meta sent it, minus the member's
-- number for user_preferences (the member is linked instead). And the
-- business account's templates as `mot templates sync` last saw them.
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
