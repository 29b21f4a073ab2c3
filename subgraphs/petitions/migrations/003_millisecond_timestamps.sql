-- Keyset cursors carry timestamps as JavaScript reads them, to the millisecond. A warning raised
-- by default at now() kept microseconds, so the next page's (raised_at, id) < (cursor) skipped
-- every other warning of the same millisecond (all warnings one registration raises share one
-- now()). Stored at millisecond precision, the cursor and the row agree and ids break ties.
ALTER TABLE petitions.warnings ALTER COLUMN raised_at TYPE timestamptz(3);
ALTER TABLE petitions.warning_events ALTER COLUMN at TYPE timestamptz(3);
ALTER TABLE petitions.petitions ALTER COLUMN registered_at TYPE timestamptz(3);
ALTER TABLE petitions.petitioners ALTER COLUMN registered_at TYPE timestamptz(3);
ALTER TABLE petitions.petition_events ALTER COLUMN at TYPE timestamptz(3);
