-- A region claims a number from inside the transaction that writes the person, before it
-- commits; the claim is confirmed once that transaction has committed. An unconfirmed claim
-- may be a registration that never committed (refused at its commit, or the region stopped in
-- between): another region meeting one asks the holding region, which confirms it if it keeps
-- the record and releases it if not. Claims made before this column are unconfirmed, and are
-- settled the same way when another region first meets them.
ALTER TABLE directory.resident_index ADD COLUMN confirmed_at timestamptz;
