-- Migration 4: what an opt-out interrupted (so START cannot skip approval),
-- and inbound messages whose text the patient-data screen removed.
ALTER TABLE members ADD COLUMN status_before_opt_out TEXT;
    ALTER TABLE inbound ADD COLUMN flagged TEXT;
