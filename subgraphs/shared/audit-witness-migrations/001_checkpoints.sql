-- Signed checkpoints of each region's audit chain head, kept in the hub's own database, outside
-- the region's (auth/audit-checkpoint.ts): the launcher writes them as the owner role; the
-- subgraphs' role may only read them (the directory serves the newest to a region's verifier).
CREATE SCHEMA IF NOT EXISTS audit_witness;

CREATE TABLE audit_witness.checkpoints (
  region text           NOT NULL,
  seq    bigint         NOT NULL,
  hash   text           NOT NULL,
  at     timestamptz(3) NOT NULL,
  token  text           NOT NULL,
  PRIMARY KEY (region, seq)
);
