-- Migration 18 (issue 21): opt-outs in plain words, and answers filed by hand.
--
-- `inbound.opt_out`: 'likely' when a member's message reads like a request to
-- leave ("please remove me from this list", "I'm retiring") and did not opt
-- them out (`[inbound] opt_out_phrases`); 'dismissed' once the team has read
-- it and kept the member (`mot inbox --dismiss`). Not `flagged`: that means
-- the screen removed patient data, and retention purges such rows early.
ALTER TABLE inbound ADD COLUMN opt_out TEXT CHECK (opt_out IN ('likely', 'dismissed'));

-- `request_replies.how` gains 'hand': a message the team filed as an answer
-- with `mot replies ID --assign MESSAGE OPTION`, with who did it and when.
-- A CHECK cannot be changed in place, so the table is rebuilt. The
-- `request_answers` view and the `members_erase` trigger name it; with
-- legacy_alter_table on, the rename leaves them as they are (they find the
-- new table by its name), so neither needs to be written out again. Foreign
-- keys are off while migrations run (db::migrate), and nothing references
-- this table.
PRAGMA legacy_alter_table = ON;
CREATE TABLE request_replies_v18 (
    inbound_id    INTEGER NOT NULL REFERENCES inbound (id) ON DELETE CASCADE,
    request_id    INTEGER NOT NULL REFERENCES requests (broadcast_id),
    member_id     INTEGER REFERENCES members (id) ON DELETE SET NULL,
    option        INTEGER,
    how           TEXT NOT NULL
                  CHECK (how IN ('button', 'context', 'only_open', 'ambiguous', 'hand')),
    late          INTEGER NOT NULL,
    assigned_by   TEXT,
    assigned_at   TEXT,
    PRIMARY KEY (inbound_id, request_id)
);
INSERT INTO request_replies_v18 (inbound_id, request_id, member_id, option, how, late)
    SELECT inbound_id, request_id, member_id, option, how, late FROM request_replies;
DROP TABLE request_replies;
ALTER TABLE request_replies_v18 RENAME TO request_replies;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX request_replies_request ON request_replies (request_id, member_id);

-- A member's answer (migration 14's one rule) is now the reply the team
-- filed by hand, if any; else, as before, their latest on-time reply, or if
-- they only replied late, their latest late one.
DROP VIEW request_answers;
CREATE VIEW request_answers AS
    SELECT rr.inbound_id, rr.request_id, rr.member_id, rr.option, rr.how, rr.late
    FROM request_replies rr JOIN inbound i ON i.id = rr.inbound_id
    WHERE rr.how != 'ambiguous'
      AND NOT EXISTS (SELECT 1 FROM request_replies o JOIN inbound n ON n.id = o.inbound_id
                      WHERE o.request_id = rr.request_id AND o.member_id = rr.member_id
                        AND o.how != 'ambiguous'
                        AND ((o.how = 'hand') > (rr.how = 'hand')
                             OR ((o.how = 'hand') = (rr.how = 'hand')
                                 AND (o.late < rr.late
                                      OR (o.late = rr.late AND (n.at, n.id) > (i.at, i.id))))));
