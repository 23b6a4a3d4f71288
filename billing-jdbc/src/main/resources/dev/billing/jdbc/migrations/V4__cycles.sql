-- V4: billing cycles kept per account, so that periods never depend on the engine that runs; the
-- original start of subscriptions, so renewals count from it; discount lines without offering code;
-- the ancestors each statement counts under.
--
-- Existing rows keep their values. Profiles stored before V4 have no cycle (NULL columns): the engine
-- fills in a monthly cycle anchored at the account's opening, in its default zone, the first time it
-- writes the profile; their open period is kept as stored. Subscriptions stored before V4 count their
-- renewals from the start of their current period, in the engine's zone.

-- the cycle: period k starts at cycle_anchor + k * cycle_length (an ISO-8601 period) in cycle_zone
ALTER TABLE billing_profiles ADD COLUMN IF NOT EXISTS cycle_anchor TIMESTAMP(6) WITH TIME ZONE;
ALTER TABLE billing_profiles ADD COLUMN IF NOT EXISTS cycle_length VARCHAR(32);
ALTER TABLE billing_profiles ADD COLUMN IF NOT EXISTS cycle_zone VARCHAR(64);

-- a cycle that takes over at period_end, anchored there; both NULL when none is pending
ALTER TABLE billing_profiles ADD COLUMN IF NOT EXISTS next_cycle_length VARCHAR(32);
ALTER TABLE billing_profiles ADD COLUMN IF NOT EXISTS next_cycle_zone VARCHAR(64);

-- renewal k ends at started_at + k * bill period, laid out in zone (NULL for rows stored before V4:
-- the engine's zone)
ALTER TABLE subscriptions ADD COLUMN IF NOT EXISTS started_at TIMESTAMP(6) WITH TIME ZONE;
UPDATE subscriptions SET started_at = period_start WHERE started_at IS NULL;
ALTER TABLE subscriptions ALTER COLUMN started_at SET NOT NULL;
ALTER TABLE subscriptions ADD COLUMN IF NOT EXISTS zone VARCHAR(64);

-- discount lines have no offering code
ALTER TABLE statement_lines ALTER COLUMN offering_code DROP NOT NULL;

-- the ancestors a statement was made under: their hierarchy totals count it, once, whatever the
-- hierarchy becomes later
CREATE TABLE IF NOT EXISTS statement_ancestors (
    ancestor     VARCHAR(255) NOT NULL,
    statement_id VARCHAR(255) NOT NULL,
    CONSTRAINT statement_ancestors_pk PRIMARY KEY (ancestor, statement_id),
    CONSTRAINT statement_ancestors_statement_fk FOREIGN KEY (statement_id) REFERENCES statements (id)
);
