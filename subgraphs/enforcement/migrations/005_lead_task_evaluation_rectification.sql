-- The lead agency inspects too: it takes part as a participant marked `lead`, with a task of its
-- own (kept in the lead region), findings and a completion like every other agency's.
ALTER TABLE enforcement.participants ADD COLUMN lead boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX participants_one_lead ON enforcement.participants (inspection_id) WHERE lead;

-- The inspected target's own evaluation (企业评价) of the visit, given by its representative and
-- recorded by an officer of the lead agency once the visit has begun.
ALTER TABLE enforcement.inspections
  ADD COLUMN target_evaluation_score          integer CHECK (target_evaluation_score BETWEEN 0 AND 100),
  ADD COLUMN target_evaluation_comment        text,
  ADD COLUMN target_evaluation_representative text,
  ADD COLUMN target_evaluation_recorded_by    text,
  ADD COLUMN target_evaluation_recorded_at    timestamptz,
  -- A follow-up inspection (整改复查) raised when a finding's rectification deadline passed:
  -- the inspection the finding was made on, and the finding (global id in the task's region).
  ADD COLUMN follow_up_of                     bigint REFERENCES enforcement.inspections (id),
  ADD COLUMN follow_up_finding                text UNIQUE CHECK (follow_up_finding ~ '^\d{6}:[1-9]\d*$');

-- A finding that must be put right has a deadline (整改期限); once it passes, the task's region
-- asks the lead region, through the outbox, for a follow-up inspection, once.
ALTER TABLE enforcement.task_findings
  ADD COLUMN rectify_by             timestamptz,
  ADD COLUMN follow_up_requested_at timestamptz;
CREATE INDEX task_findings_due ON enforcement.task_findings (rectify_by, id) WHERE rectify_by IS NOT NULL AND follow_up_requested_at IS NULL;

ALTER TABLE enforcement.outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE enforcement.outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('DELIVER_TASK', 'REPORT_TASK_STATUS', 'REQUEST_FOLLOW_UP'));
