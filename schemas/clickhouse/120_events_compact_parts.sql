-- Fresh parts of `events` in the Compact format (all columns in one file) instead of Wide (a data and a marks
-- file per column: ~140 files for its 69 columns) until a part holds 200,000 rows. Every insert writes a new
-- part, and creating those files was a quarter of chDB's CPU per ingested event (system time; 3 Dec, 100,000-row
-- inserts: 10.5 → 8.3 µs an event, BENCHMARKS.md `## Ingest`). Merged parts past 200,000 rows (and 10 MB,
-- min_bytes_for_wide_part's default) are Wide as before, so queries over months read Wide parts.
ALTER TABLE events{{LOCAL}} {{ON_CLUSTER}} MODIFY SETTING min_rows_for_wide_part = 200000;
