-- The role DEVELOPER (subgraphs/personnel/officer-role.ts): an officer who builds apps on the hub
-- and may send free-form queries where the gateway answers only trusted documents.
ALTER TABLE personnel.officers DROP CONSTRAINT officers_roles_check;
ALTER TABLE personnel.officers ADD CONSTRAINT officers_roles_check CHECK (
  cardinality(roles) >= 1
  AND roles <@ ARRAY['PETITION_OFFICER', 'ENFORCEMENT_OFFICER', 'SUPERVISOR', 'AUDITOR', 'AGREEMENT_ADMIN', 'DEVELOPER']
);
