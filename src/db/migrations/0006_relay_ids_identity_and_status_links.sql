-- Migration 6: relay event ids are never reused (AUTOINCREMENT: pruning
-- acknowledged rows no longer lets ids restart below a laptop's cursor);
-- every database gets a random identity, so a laptop notices a rebuilt
-- relay; statuses remember the delivery they moved, so one that came too
-- early can be applied later.
CREATE TABLE webhook_events_v6 (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        body         BLOB NOT NULL,
        received_at  TEXT NOT NULL,
        applied_at   TEXT,
        acked_at     TEXT
    );
    INSERT INTO webhook_events_v6 (id, body, received_at, applied_at, acked_at)
        SELECT id, body, received_at, applied_at, acked_at FROM webhook_events ORDER BY id;
    DROP TABLE webhook_events;
    ALTER TABLE webhook_events_v6 RENAME TO webhook_events;
    INSERT INTO settings (key, value) VALUES ('instance_id', lower(hex(randomblob(16))));
    -- A status is linked to the delivery it moved; one that arrived before its
    -- send was recorded stays unlinked and is applied once its wamid is known.
    ALTER TABLE status_events ADD COLUMN delivery_id INTEGER;
    UPDATE status_events
        SET delivery_id = (SELECT d.id FROM deliveries d WHERE d.wamid = status_events.wamid);
    CREATE INDEX status_events_waiting ON status_events (received_at) WHERE delivery_id IS NULL;
