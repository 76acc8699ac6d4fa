-- Points given for a complaint were once recorded with a mixed-language reason
-- ('投诉补偿 complaint #12'); the server now writes the code complaint.compensation, which the
-- ledger shows in the reader's language. The complaint stays linked through source_id.
UPDATE points_ledger SET reason = 'complaint.compensation'
WHERE source_type = 'complaint' AND reason LIKE '投诉补偿 complaint #%';
