-- The region's audit log: every unmasked read of personal data and every change, hash-chained
-- (each row's hash covers its content and the previous row's hash; auth/audit-chain.ts), so a
-- row edited, deleted or inserted by hand is found by `yrd-hub audit verify`.
CREATE SCHEMA IF NOT EXISTS audit;

CREATE TABLE audit.entries (
  seq          bigint         PRIMARY KEY,
  at           timestamptz(3) NOT NULL,
  officer      text           NOT NULL,
  jurisdiction text           NOT NULL,
  action       text           NOT NULL,
  record       text           NOT NULL,
  fields       text[]         NOT NULL,
  purpose      text,
  request_id   text           NOT NULL,
  prev_hash    text           NOT NULL,
  hash         text           NOT NULL
);

CREATE INDEX audit_entries_by_record ON audit.entries (record, seq DESC);
