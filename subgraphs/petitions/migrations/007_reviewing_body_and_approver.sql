-- Review (复查) and re-review (复核) are decided by the next-higher agency (上一级机关): the
-- jurisdiction whose petition officers decide them, recorded when the review is requested.
ALTER TABLE petitions.petitions ADD COLUMN reviewing_body text CHECK (reviewing_body ~ '^\d{6}$');

-- An extension of the handling limit is approved by a responsible person of the handling agency
-- (本机关负责人批准): the officer who approved it.
ALTER TABLE petitions.petitions ADD COLUMN extension_approved_by text CHECK (extension_approved_by ~ '^\d{6}:[1-9]\d*$');
