-- A record moved here (户籍迁入) is kept pending until the old home region's move has committed:
-- the old region sends it, then hands the number over in the hub's index, then closes its own
-- record, and any of these may fail. While pending it is no person of this region (no read
-- shows it, no change reaches it); the old region completes it once its move has committed, or
-- withdraws it when the move failed (the row is removed: nobody has seen it), and the region's
-- background pass settles one whose word was lost by asking the old region. Records moved here
-- before were all completed moves: none is pending.
ALTER TABLE personnel.persons ADD COLUMN move_pending_since timestamptz;
CREATE INDEX persons_move_pending ON personnel.persons (move_pending_since) WHERE move_pending_since IS NOT NULL;
