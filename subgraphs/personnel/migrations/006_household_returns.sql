-- A person may move back to a region they left (户籍迁回): that region then keeps their old
-- record, closed, and a new open one of the same number. One open record per number, then,
-- rather than one record.
ALTER TABLE personnel.persons DROP CONSTRAINT persons_id_number_key;
CREATE UNIQUE INDEX persons_one_open_record ON personnel.persons (id_number) WHERE moved_to IS NULL;
CREATE INDEX persons_by_id_number ON personnel.persons (id_number);

-- Every change of household registration of the person, as far back as this record knows: a
-- record moved here brings the moves before it, and a record moved away adds its own. (Moves
-- made before this table show only in moved_from and moved_to.)
CREATE TABLE personnel.person_moves (
  person_id         bigint         NOT NULL REFERENCES personnel.persons (id),
  seq               integer        NOT NULL CHECK (seq >= 1),
  from_person       text           NOT NULL CHECK (from_person ~ '^\d{6}:[1-9]\d*$'),
  to_person         text           NOT NULL CHECK (to_person ~ '^\d{6}:[1-9]\d*$'),
  from_jurisdiction text           NOT NULL CHECK (from_jurisdiction ~ '^[0-9]{6}([0-9]{3})?$'),
  to_jurisdiction   text           NOT NULL CHECK (to_jurisdiction ~ '^[0-9]{6}([0-9]{3})?$'),
  moved_at          timestamptz(3) NOT NULL,
  note              text           CHECK (length(note) BETWEEN 1 AND 500),
  PRIMARY KEY (person_id, seq)
);
