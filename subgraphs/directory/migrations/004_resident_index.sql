-- One person, one record: which region's personnel subgraph holds the record of a resident ID
-- number, kept by the hub so that a second registration in another region can be refused. Only
-- a keyed HMAC of the number is stored (the key never leaves the hub), never the number.
CREATE TABLE directory.resident_index (
  id_hash    bytea       PRIMARY KEY CHECK (length(id_hash) = 32),
  region     text        NOT NULL CHECK (region ~ '^\d{6}$'),
  person_id  text        NOT NULL CHECK (person_id ~ '^\d{6}:[1-9]\d*$'),
  claimed_at timestamptz NOT NULL DEFAULT now()
);
