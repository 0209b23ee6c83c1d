-- Migration 12: erasure markers leave the message-id space, erasure reaches
-- account events, and erasures the relay has not confirmed are owed. An
-- erased or purged inbound row's id becomes a BLOB (`erased:<row>`,
-- `purged:<row>` as bytes): message ids are always stored as TEXT, and
-- SQLite never finds a BLOB equal to TEXT, so no real id (`erased:1` from a
-- peer's test suite) can collide with a marker or be taken for one, while
-- UNIQUE still deduplicates the real ids. Existing markers are converted (a
-- real row with such an id still has its sender). The trigger erases
-- everything migration 10's did (markers now BLOBs, raw payloads also found
-- by the number in any writing) and every account event linked to the member
-- or naming their number.
--
-- In the trigger, the nested replace() removes what people write between a
-- number's digits (spaces, no-break and thin spaces, dashes, dots, brackets,
-- slashes, the plus, zero-width spaces and joiners), so instr() finds
-- `+44 (0)7700 900-123` by its national digits; the CASE on OLD.phone is the
-- national significant number (what every writing of a UK number contains;
-- other countries' numbers are matched by all their digits). `phone` owns
-- that rule in Rust (E164::national_digits), and the byte scan's full rule
-- is retention::erasure's: a trigger cannot call Rust.
UPDATE inbound SET wa_message_id = CAST(wa_message_id AS BLOB)
        WHERE (wa_message_id LIKE 'erased:%' OR wa_message_id LIKE 'purged:%')
          AND phone IS NULL AND user_id IS NULL;
    -- A number whose erasure the relay has not confirmed: kept only to tell
    -- it, deleted once it has.
    CREATE TABLE relay_erasures (
        phone       TEXT PRIMARY KEY,
        owed_since  TEXT NOT NULL
    );
    DROP TRIGGER members_erase;
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
