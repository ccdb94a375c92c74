-- ticket_facts is read on every dashboard request: one row per ticket of the
-- requested range, about fifteen columns each. Decompressing them was a fifth
-- of a request's time (≈ 82 k tickets, measured in bench/queries: live −20 %,
-- summary and breakdown −12 %), while the table is small next to `events`
-- (≈ 300 bytes a ticket uncompressed). So its columns are stored as they are.
-- A codec change applies to parts written from now on (inserts and merges);
-- existing parts are rewritten by background merges in their own time.
ALTER TABLE ticket_facts{{LOCAL}} {{ON_CLUSTER}}
    MODIFY COLUMN ticket_created_at CODEC(NONE),
    MODIFY COLUMN ticket_id CODEC(NONE),
    MODIFY COLUMN customer_id CODEC(NONE),
    MODIFY COLUMN queue_latest CODEC(NONE),
    MODIFY COLUMN category_latest CODEC(NONE),
    MODIFY COLUMN language_latest CODEC(NONE),
    MODIFY COLUMN agent_latest CODEC(NONE),
    MODIFY COLUMN status_latest CODEC(NONE),
    MODIFY COLUMN opened CODEC(NONE),
    MODIFY COLUMN first_reply_at CODEC(NONE),
    MODIFY COLUMN first_reply_bh_seconds CODEC(NONE),
    MODIFY COLUMN reply_min_id CODEC(NONE),
    MODIFY COLUMN reply_max_id CODEC(NONE),
    MODIFY COLUMN first_resolved_at CODEC(NONE),
    MODIFY COLUMN reopened CODEC(NONE),
    MODIFY COLUMN csat_surveyed CODEC(NONE),
    MODIFY COLUMN nps_surveyed CODEC(NONE),
    MODIFY COLUMN csat_latest CODEC(NONE),
    MODIFY COLUMN nps_latest CODEC(NONE),
    MODIFY COLUMN opened_fr_due_at CODEC(NONE),
    MODIFY COLUMN opened_res_due_at CODEC(NONE),
    MODIFY COLUMN queue_change_latest CODEC(NONE),
    MODIFY COLUMN last_event_at CODEC(NONE),
    MODIFY COLUMN repeat_contact CODEC(NONE);
