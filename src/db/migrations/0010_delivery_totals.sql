-- Migration 10: per-broadcast delivery counts (by state and failure reason)
-- kept when `mot purge` deletes the per-member rows, so reports stay right.
CREATE TABLE delivery_totals (
        broadcast_id  INTEGER NOT NULL REFERENCES broadcasts (id),
        state         TEXT NOT NULL,
        error_class   TEXT,
        error_code    INTEGER,
        n             INTEGER NOT NULL
    );
    CREATE INDEX delivery_totals_broadcast ON delivery_totals (broadcast_id);
    -- Erasure also reaches raw webhook payloads already applied or relayed
    -- (they carry the number, profile name and text; one not yet applied
    -- stays, since other members' statuses may be in it). Everything the
    -- trigger of migration 7 erased, it still erases.
    DROP TRIGGER members_erase;
    CREATE TRIGGER members_erase BEFORE DELETE ON members BEGIN
        DELETE FROM status_events WHERE wamid IN (SELECT wamid FROM deliveries
            WHERE (member_id = OLD.id OR phone = OLD.phone) AND wamid IS NOT NULL);
        UPDATE deliveries SET phone = NULL, wamid = NULL, error_message = NULL
            WHERE member_id = OLD.id OR phone = OLD.phone;
        UPDATE inbound SET phone = NULL, user_id = NULL, text = NULL, context_wamid = NULL,
                           wa_message_id = 'erased:' || id
            WHERE member_id = OLD.id OR phone = OLD.phone;
        UPDATE broadcasts SET audience = json_object('test', json_object('phone', 'erased'))
            WHERE is_test = 1 AND json_extract(audience, '$.test.phone') = OLD.phone;
        DELETE FROM webhook_events
            WHERE (applied_at IS NOT NULL OR acked_at IS NOT NULL)
              AND instr(CAST(body AS TEXT), substr(OLD.phone, 2)) > 0;
    END;
