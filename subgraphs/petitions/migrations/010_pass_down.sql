-- Passing a received petition down (交办): the receiving region's city office hands a petition
-- forwarded to it on to the competent agency of one of its counties. That agency decides on
-- acceptance within 15 days of its own receipt (信访工作条例: from receiving the forwarded or
-- assigned matter), so the record keeps when it was passed down; its acceptance clock runs from
-- then. Null while it was not passed down.
ALTER TABLE petitions.petitions ADD COLUMN IF NOT EXISTS passed_down_at timestamptz(3);
