-- Migration 7: the lapsed rule reads each member's deliveries newest
-- broadcast first; erasure also finds rows by number without scanning the
-- ledger, and now clears what else can name the member: Graph error texts
-- (they quote the recipient's number), message ids (they encode it) and the
-- raw status events filed under them.
CREATE INDEX deliveries_member_broadcast ON deliveries (member_id, broadcast_id);
    DROP INDEX deliveries_member;
    CREATE INDEX deliveries_phone ON deliveries (phone);
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
    END;
