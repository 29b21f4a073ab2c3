-- A change of household registration (户籍迁移) to another region moves the record: the new
-- home region holds a new record that names the one it came from (`moved_from`), and the old
-- record stays where it was, with its history and audit trail, closed and naming where it went
-- (`moved_to`). Nothing is deleted, so the old region's audit chain stays whole.
ALTER TABLE personnel.persons
  ADD COLUMN moved_to   text UNIQUE CHECK (moved_to ~ '^\d{6}:[1-9]\d*$'),
  ADD COLUMN moved_at   timestamptz,
  ADD COLUMN moved_from text UNIQUE CHECK (moved_from ~ '^\d{6}:[1-9]\d*$'),
  ADD CHECK ((moved_to IS NULL) = (moved_at IS NULL));
