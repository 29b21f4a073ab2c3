-- An agreement takes effect only when both parties have signed, each by an administrator of its
-- own (no administrator opens another jurisdiction's data alone). Each party's signature (who,
-- when) is its own pair of columns, written by one UPDATE guarded by "not signed yet", so that
-- two administrators signing at once cannot overwrite each other. The status (PROPOSED,
-- ACTIVE…) is derived from these columns, never stored.
--
-- Agreements already in the table were in force under the old rules, signed by one side for
-- both: they are recorded as signed by both parties (by their creator, when created), so that
-- existing deployments keep the grants they have.
ALTER TABLE directory.sharing_agreements
  ADD COLUMN provider_signed_by  text,
  ADD COLUMN provider_signed_at  timestamptz(3),
  ADD COLUMN recipient_signed_by text,
  ADD COLUMN recipient_signed_at timestamptz(3);

UPDATE directory.sharing_agreements
   SET provider_signed_by = created_by, provider_signed_at = created_at,
       recipient_signed_by = created_by, recipient_signed_at = created_at;

ALTER TABLE directory.sharing_agreements
  ADD CHECK ((provider_signed_by IS NULL) = (provider_signed_at IS NULL)),
  ADD CHECK ((recipient_signed_by IS NULL) = (recipient_signed_at IS NULL));
