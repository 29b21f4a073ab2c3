-- The relay removes messages delivered more than 30 days ago (outbox.ts pruneSent): found by
-- when they were sent, without reading the pending ones.
CREATE INDEX outbox_sent ON enforcement.outbox (sent_at) WHERE sent_at IS NOT NULL;
