-- The jurisdiction tree (GB/T 2260) the hub serves to every region. Hub-owned, no case data.
CREATE SCHEMA IF NOT EXISTS directory;

CREATE TABLE directory.jurisdictions (
  code        text PRIMARY KEY CHECK (code ~ '^\d{6}(\d{3})?$'),
  name        text NOT NULL,
  level       text NOT NULL CHECK (level IN ('PROVINCE', 'CITY', 'COUNTY', 'STREET')),
  parent_code text REFERENCES directory.jurisdictions (code),
  note        text
);

CREATE INDEX jurisdictions_by_parent ON directory.jurisdictions (parent_code, code);
