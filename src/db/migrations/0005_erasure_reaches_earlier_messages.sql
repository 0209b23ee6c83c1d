-- Migration 5: erasure also reaches messages from the number before it was a
-- member, and test sends addressed to it.
DROP TRIGGER members_erase;
    CREATE TRIGGER members_erase BEFORE DELETE ON members BEGIN
        UPDATE deliveries SET phone = NULL WHERE member_id = OLD.id OR phone = OLD.phone;
        UPDATE inbound SET phone = NULL, user_id = NULL, text = NULL
            WHERE member_id = OLD.id OR phone = OLD.phone;
        UPDATE broadcasts SET audience = json_object('test', json_object('phone', 'erased'))
            WHERE is_test = 1 AND json_extract(audience, '$.test.phone') = OLD.phone;
    END;
