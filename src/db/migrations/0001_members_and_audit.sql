-- Migration 1: members and the audit log.
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
    );
    CREATE INDEX members_status ON members (status);
    CREATE TABLE audit (
        id       INTEGER PRIMARY KEY,
        at       TEXT NOT NULL,
        os_user  TEXT NOT NULL,
        command  TEXT NOT NULL,
        outcome  TEXT NOT NULL,
        detail   TEXT NOT NULL
    );
