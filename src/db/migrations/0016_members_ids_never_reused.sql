-- Migration 16: member ids are never reused. A removed member's id must not
-- go to the next sign-up: audit rows, notes and saved commands that name
-- "member 12" would then point at someone else. AUTOINCREMENT needs the
-- table rebuilt (as migration 11 did for the audit log), keeping every id,
-- so the other tables' member_id links stay as they were.
--
-- db::migrate runs migrations with foreign keys off and checks them before
-- committing: with them on, DROP TABLE would first delete every member and
-- ON DELETE SET NULL would cut every delivery, message and reply from its
-- member. Dropping the table drops its index and the members_erase trigger,
-- so both are made again, the trigger exactly as migration 14 wrote it.
-- AUTOINCREMENT starts above the highest id still on file; an id erased
-- before this migration from the very top of the table may be given once
-- more, which nothing records any longer (erasure cut every link to it).
CREATE TABLE members_v15 (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    name                  TEXT NOT NULL,
    phone                 TEXT NOT NULL UNIQUE,
    role                  TEXT NOT NULL,
    location              TEXT NOT NULL,
    status                TEXT NOT NULL
                          CHECK (status IN ('pending', 'active', 'opted_out', 'lapsed')),
    consent_at            TEXT NOT NULL,
    consent_source        TEXT NOT NULL,
    consent_by            TEXT NOT NULL,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    status_before_opt_out TEXT
);
INSERT INTO members_v15 (id, name, phone, role, location, status, consent_at, consent_source,
                         consent_by, created_at, updated_at, status_before_opt_out)
    SELECT id, name, phone, role, location, status, consent_at, consent_source,
           consent_by, created_at, updated_at, status_before_opt_out
    FROM members;
DROP TABLE members;
ALTER TABLE members_v15 RENAME TO members;
CREATE INDEX members_status ON members (status);
CREATE TRIGGER members_erase BEFORE DELETE ON members BEGIN
    DELETE FROM request_replies
        WHERE member_id = OLD.id AND how != 'ambiguous'
          AND inbound_id NOT IN (SELECT a.inbound_id FROM request_answers a
                                 WHERE a.member_id = OLD.id
                                   AND a.request_id = request_replies.request_id);
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
