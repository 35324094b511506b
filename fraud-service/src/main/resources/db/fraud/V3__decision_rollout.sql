-- Where a decision stood in the model rollout, for comparing challengers with the champion offline:
-- {"experiment": {"name", "arm"}, "shadow": {"modelVersion", "riskScore", "decision"}}, each part present only
-- when there was an experiment arm or a shadow model. NULL for the plain production path; adding a nullable
-- column without a default rewrites nothing.
ALTER TABLE decisions ADD COLUMN rollout jsonb;
