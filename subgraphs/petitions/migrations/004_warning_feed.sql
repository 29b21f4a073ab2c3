-- The live feed of warning changes (RAISED, ACKNOWLEDGED, ESCALATED, RESOLVED): an outbox that
-- the gateway relays to subscribers. Every change of a warning already writes a timeline row
-- (warning_events) in its own transaction; a trigger on that table writes the feed row in the
-- same transaction, so every path (mutations, registration rules, the deadline sweep, anything
-- added later) records its event, and an event exists exactly when its change committed.
--
-- `seq` is the region's position in the feed, and readers rely on one promise: once a reader
-- sees seq N, every event below N is visible too. An identity column does not keep it (of two
-- transactions, the one that drew the lower number may commit later, and a reader that saw the
-- higher one would skip it for good). So the number is drawn at COMMIT, by a deferred trigger,
-- under a transaction-level lock that is released only once the commit is visible: numbers are
-- handed out in commit order. The lock is taken last of all the transaction's locks, so it
-- cannot close a cycle with them (no deadlock), and is held only for the commit itself.

CREATE SEQUENCE petitions.warning_feed_seq;

CREATE TABLE petitions.warning_feed (
  seq            bigint         PRIMARY KEY,
  warning_id     bigint         NOT NULL,
  kind           text           NOT NULL CHECK (kind IN ('RAISED', 'ACKNOWLEDGED', 'ESCALATED', 'RESOLVED')),
  officer_id     text,
  officer_region text,
  at             timestamptz(3) NOT NULL,
  -- When the event was recorded (seeded history keeps its old `at`): what retention goes by.
  recorded_at    timestamptz    NOT NULL DEFAULT now()
);
CREATE INDEX warning_feed_by_age ON petitions.warning_feed (recorded_at);

-- The highest seq removed by retention: a reader asking for events after a lower one has lost
-- some of them, and is told so instead of being given the rest as if nothing were missing.
CREATE TABLE petitions.warning_feed_pruned (
  one     boolean PRIMARY KEY DEFAULT true CHECK (one),
  through bigint  NOT NULL
);
INSERT INTO petitions.warning_feed_pruned (through) VALUES (0);

CREATE FUNCTION petitions.record_warning_feed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  next_seq bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('petitions.warning_feed'));
  next_seq := nextval('petitions.warning_feed_seq');
  INSERT INTO petitions.warning_feed (seq, warning_id, kind, officer_id, officer_region, at)
  VALUES (next_seq, NEW.warning_id, NEW.action, NEW.officer_id, NEW.officer_region, NEW.at);
  -- Delivered at commit; listeners then read the table from their position, so a missed
  -- notification delays nothing longer than the next one (or the readers' periodic look).
  PERFORM pg_notify('petitions_warning_feed', next_seq::text);
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER warning_events_feed
  AFTER INSERT ON petitions.warning_events
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION petitions.record_warning_feed();
