-- Migration 14: a member's answer to a request is one rule, read by `mot
-- replies`, `requests list`, reminders and erasure: their latest on-time
-- reply, or if they only replied late, their latest late one. Erasing a
-- member keeps their answers (anonymous: the link to the member goes) and
-- drops their other replies' links, so each erased member's answer is still
-- one row and counts once. The trigger erases everything migration 12's did.
--
-- In the trigger, the nested replace() removes what people write between a
-- number's digits (spaces, no-break and thin spaces, dashes, dots, brackets,
-- slashes, the plus, zero-width spaces and joiners), so instr() finds
-- `+44 (0)7700 900-123` by its national digits; the CASE on OLD.phone is the
-- national significant number (what every writing of a UK number contains;
-- other countries' numbers are matched by all their digits). `phone` owns
-- that rule in Rust (E164::national_digits), and the byte scan's full rule
-- is retention::erasure's: a trigger cannot call Rust.
CREATE VIEW request_answers AS
    SELECT rr.inbound_id, rr.request_id, rr.member_id, rr.option, rr.how, rr.late
    FROM request_replies rr JOIN inbound i ON i.id = rr.inbound_id
    WHERE rr.how != 'ambiguous'
      AND NOT EXISTS (SELECT 1 FROM request_replies o JOIN inbound n ON n.id = o.inbound_id
                      WHERE o.request_id = rr.request_id AND o.member_id = rr.member_id
                        AND o.how != 'ambiguous'
                        AND (o.late < rr.late
                             OR (o.late = rr.late AND (n.at, n.id) > (i.at, i.id))));
DROP TRIGGER members_erase;
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
