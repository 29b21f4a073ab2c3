-- A rectification deadline (整改期限) ends at 24:00 Asia/Shanghai of its last day, as every time
-- limit of the hub (shared/beijing-day.ts dayEndOf: the day the instant falls on, an instant at
-- 00:00 being already the end of the day before). Deadlines stored before kept the time of day
-- they were given with, so their follow-up fired at that hour of the last day: each is moved to
-- that day's end. One already at a day's end is left as it is, so the statement may run again.
-- A follow-up already asked for stays asked (follow_up_requested_at): that message has left.
UPDATE enforcement.task_findings
   SET rectify_by = ((((rectify_by - interval '1 microsecond') AT TIME ZONE 'Asia/Shanghai')::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
 WHERE rectify_by IS NOT NULL
   AND rectify_by <> ((((rectify_by - interval '1 microsecond') AT TIME ZONE 'Asia/Shanghai')::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai');
