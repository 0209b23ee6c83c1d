-- Migration 15: a message the messaging limit holds back expires as long
-- after it may first be sent as the broadcast allowed from its start
-- (issue 21), unless the operator gave a deadline for everyone.
--
-- broadcasts.held_expiry_secs: how long a held message may wait once it
-- may be sent; NULL means the broadcast's not_after binds every message (a
-- deadline the operator gave, a request, or a broadcast made before this).
-- deliveries.not_after: a held message's own deadline; NULL means the
-- broadcast's.
ALTER TABLE broadcasts ADD COLUMN held_expiry_secs INTEGER;
ALTER TABLE deliveries ADD COLUMN not_after TEXT;
