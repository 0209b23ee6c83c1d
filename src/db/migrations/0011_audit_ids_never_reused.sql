-- Migration 11: audit ids are never reused, even after `mot purge` removed
-- the newest rows (an id in a note or a report must keep naming one entry).
CREATE TABLE audit_v11 (
        id       INTEGER PRIMARY KEY AUTOINCREMENT,
        at       TEXT NOT NULL,
        os_user  TEXT NOT NULL,
        command  TEXT NOT NULL,
        outcome  TEXT NOT NULL,
        detail   TEXT NOT NULL
    );
    INSERT INTO audit_v11 (id, at, os_user, command, outcome, detail)
        SELECT id, at, os_user, command, outcome, detail FROM audit;
    DROP TABLE audit;
    ALTER TABLE audit_v11 RENAME TO audit;
