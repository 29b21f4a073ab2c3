-- Corrections of issue 18's petitions. Each statement may run again, and changes nothing then.

-- 1. Re-review (复核) goes one level above review (复查): the agency above the reviewing body
--    (上一级机关), recorded when the re-review is requested, as reviewing_body is for the review.
ALTER TABLE petitions.petitions ADD COLUMN IF NOT EXISTS re_reviewing_body text CHECK (re_reviewing_body ~ '^\d{6}$');

-- 2. A matter is one of its petitioners, its category and its handling place: a 嘉善 matter and a
--    平湖 one on the same subject are two. So one person and category may have several matters,
--    and two registrations of one new matter at once are kept to one by a lock instead
--    (matter-repository.ts), not by a unique index.
DROP INDEX IF EXISTS petitions.matters_by_petitioners;
CREATE INDEX IF NOT EXISTS matters_of_petitioners ON petitions.matters (petitioner_ids, category);

-- 3. Deadlines end at 24:00 Asia/Shanghai of their last day (lifecycle.ts deadlineAfter: `days`
--    after the start's Beijing calendar day, due at 00:00 of the day after). Rows written before
--    that kept the start's time of day; each stored due date is computed again from its kind and
--    the facts it runs from, as currentDeadline does. The DEADLINE warnings already raised for an
--    old due date carry it in their rule key: renamed to the new one, so the sweep does not raise
--    them a second time.
WITH starts AS (
  SELECT id, deadline_kind, due_at AS old_due_at,
         CASE deadline_kind
           WHEN 'ACCEPTANCE' THEN COALESCE(received_at, registered_at)
           WHEN 'HANDLING' THEN accepted_at
           WHEN 'REVIEW_REQUEST' THEN replied_at
           WHEN 'REVIEW_DECISION' THEN review_requested_at
           WHEN 'RE_REVIEW_REQUEST' THEN review_decided_at
           WHEN 'RE_REVIEW_DECISION' THEN re_review_requested_at
         END AS starts_at,
         CASE deadline_kind WHEN 'ACCEPTANCE' THEN 15 WHEN 'HANDLING' THEN 60 + COALESCE(extension_days, 0) ELSE 30 END AS days
    FROM petitions.petitions
   WHERE due_at IS NOT NULL
), day_ends AS (
  SELECT id, deadline_kind, old_due_at,
         (((starts_at AT TIME ZONE 'Asia/Shanghai')::date + days + 1)::timestamp AT TIME ZONE 'Asia/Shanghai') AS due_at
    FROM starts
   WHERE starts_at IS NOT NULL
), moved AS (
  UPDATE petitions.petitions p
     SET due_at = d.due_at
    FROM day_ends d
   WHERE p.id = d.id AND p.due_at IS DISTINCT FROM d.due_at
  RETURNING p.id, d.deadline_kind, d.old_due_at, d.due_at
)
UPDATE petitions.warnings w
   SET rule_key = 'deadline:' || m.id || ':' || m.deadline_kind || ':' || floor(extract(epoch FROM m.due_at))::bigint || ':' || split_part(w.rule_key, ':', 5)
  FROM moved m
 WHERE w.kind = 'DEADLINE'
   AND w.rule_key IN ('deadline:' || m.id || ':' || m.deadline_kind || ':' || floor(extract(epoch FROM m.old_due_at))::bigint || ':past',
                      'deadline:' || m.id || ':' || m.deadline_kind || ':' || floor(extract(epoch FROM m.old_due_at))::bigint || ':near');
