-- DEADLINE warnings raised before deadlines ended at 24:00 Beijing time. Migration 009 moved each
-- petition's due date to the end of its last day and renamed the warnings' rule keys, but kept
-- their `raised_at`: the old deadline's hour (ORANGE) or 3 days before it (BLUE), earlier than
-- the condition they state began by the new rule. Each such warning is judged by the new rule:
--
--  * the condition did begin (the deadline passed, or came within 3 days, before its step was
--    taken, or by now while it still runs): `raised_at` (and its RAISED event, in the timeline and
--    the live feed) becomes the moment it began, never later than the first thing an officer did
--    with the warning, so its timeline keeps its order;
--  * it never began (the step was taken in the hours the new rule added, or the deadline still
--    runs and has not come so near): the warning said what was not so. It is withdrawn: resolved,
--    if not yet, with a RESOLVED event saying why, and its rule key set aside (`:withdrawn`), so
--    that the sweep raises the true warning when its condition comes.
--
-- Warnings keyed by the 24:00 rule and dated as it says are left alone, so the migration may run
-- again and changes nothing then; warnings raised by hand (no rule key) are no rule's and stay.
CREATE TEMPORARY TABLE deadline_warning_repairs ON COMMIT DROP AS
WITH keyed AS (
  SELECT w.id, w.status, w.raised_at, w.rule_key, p.id AS petition_id, p.registered_at, p.forwarded_to_region, p.received_at,
         split_part(w.rule_key, ':', 3) AS deadline_kind,
         split_part(w.rule_key, ':', 5) AS side,
         to_timestamp(split_part(w.rule_key, ':', 4)::bigint) AS keyed_due
    FROM petitions.warnings w
    JOIN petitions.petitions p ON p.id = w.petition_id
   WHERE w.kind = 'DEADLINE' AND w.rule_key ~ '^deadline:\d+:[A-Z_]+:\d+:(past|near)$'
), due AS (
  -- A key naming 00:00 Beijing time is the 24:00 rule's (written so, or renamed by 009). Any other
  -- is an old due date of a deadline that stopped running before 009 (which renamed only running
  -- ones): its last day is the day that instant fell on, and it ends at 24:00 of it.
  SELECT *,
         CASE WHEN (keyed_due AT TIME ZONE 'Asia/Shanghai')::time = '00:00' THEN keyed_due
              ELSE ((keyed_due AT TIME ZONE 'Asia/Shanghai')::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
         END AS due_at
    FROM keyed
), judged AS (
  SELECT d.*,
         CASE WHEN side = 'past' THEN due_at ELSE GREATEST(due_at - interval '3 days', registered_at) END AS began_at,
         -- When officers took the step that stopped this deadline (the first after it was warned of).
         (SELECT min(e.at) FROM petitions.petition_events e
           WHERE e.petition_id = d.petition_id AND e.at >= d.raised_at
             AND (e.action = 'extend'
                  -- forwarded to another region, or passed down (交办), which starts a clock of its own
                  OR (e.action = 'assign' AND (d.forwarded_to_region IS NOT NULL OR d.received_at IS NOT NULL))
                  OR e.to_status <> ALL (CASE d.deadline_kind
                                           WHEN 'ACCEPTANCE' THEN ARRAY['REGISTERED', 'ASSIGNED']
                                           WHEN 'HANDLING' THEN ARRAY['ACCEPTED', 'HANDLING']
                                           WHEN 'REVIEW_DECISION' THEN ARRAY['REVIEW']
                                           WHEN 'RE_REVIEW_DECISION' THEN ARRAY['RE_REVIEW']
                                           ELSE ARRAY[]::text[] END))) AS stopped_at,
         (SELECT min(e.at) FROM petitions.warning_events e WHERE e.warning_id = d.id AND e.action <> 'RAISED') AS first_handled_at
    FROM due d
)
SELECT id, status, rule_key, raised_at, side, due_at, began_at,
       began_at <= COALESCE(stopped_at, now()) AS began,
       GREATEST(raised_at, LEAST(began_at, first_handled_at)) AS new_raised_at
  FROM judged
 WHERE raised_at < began_at;

-- The condition began: dated when it did.
UPDATE petitions.warnings w SET raised_at = r.new_raised_at
  FROM deadline_warning_repairs r WHERE w.id = r.id AND r.began AND w.raised_at <> r.new_raised_at;
UPDATE petitions.warning_events e SET at = r.new_raised_at
  FROM deadline_warning_repairs r WHERE e.warning_id = r.id AND e.action = 'RAISED' AND r.began;
UPDATE petitions.warning_feed f SET at = r.new_raised_at
  FROM deadline_warning_repairs r WHERE f.warning_id = r.id AND f.kind = 'RAISED' AND r.began;

-- It never began: withdrawn.
INSERT INTO petitions.warning_events (warning_id, action, note)
SELECT id, 'RESOLVED',
       '撤回：期限改按北京时间末日24:00计算（截止 ' || to_char((due_at - interval '1 millisecond') AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')
       || '），' || CASE WHEN side = 'past' THEN '预警时期限尚未届满' ELSE '预警时距期限尚多于3日' END
  FROM deadline_warning_repairs WHERE NOT began AND status <> 'RESOLVED';
UPDATE petitions.warnings w
   SET rule_key = w.rule_key || ':withdrawn',
       status = 'RESOLVED',
       version = w.version + CASE WHEN w.status = 'RESOLVED' THEN 0 ELSE 1 END
  FROM deadline_warning_repairs r WHERE w.id = r.id AND NOT r.began;
