-- A change of household registration (户籍迁移) to another region moves the record: the new
-- home region holds a new record that names the one it came from (`moved_from`), and the old
-- record stays where it was, with its history and audit trail, closed and naming where it went
-- (`moved_to`). Nothing is deleted, so the old region's audit chain stays whole.
ALTER TABLE personnel.persons
  ADD COLUMN moved_to   text UNIQUE CHECK (moved_to ~ '^\d{6}:[1-9]\d*$'),
  ADD COLUMN moved_at   timestamptz,
  ADD COLUMN moved_from text UNIQUE CHECK (moved_from ~ '^\d{6}:[1-9]\d*$'),
  ADD CHECK ((moved_to IS NULL) = (moved_at IS NULL));

-- When the record was entered in the hub's resident index (one person, one record across
-- regions). Registrations enter it at once; records older than the index are entered by the
-- region's background pass, which notes a number another region already holds.
ALTER TABLE personnel.persons
  ADD COLUMN indexed_at     timestamptz,
  ADD COLUMN index_conflict text CHECK (index_conflict ~ '^\d{6}:[1-9]\d*$');
CREATE INDEX persons_not_indexed ON personnel.persons (id) WHERE indexed_at IS NULL;
