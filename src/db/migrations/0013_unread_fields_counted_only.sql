-- Migration 13: of a webhook field mot does not read (calls, history,
-- message echoes…) only the name, the time and a count are kept from now on;
-- what earlier versions stored of such a field (numbers, names, text,
-- places) is emptied to a count of one.
UPDATE account_events
        SET detail = json_object('count', 1), event = NULL, template_name = NULL,
            template_language = NULL, member_id = NULL
        WHERE known = 0;
