-- V13: a subscription renewed before its period ended (a renewal window) keeps what the period still
-- running pays for (its plan version and whole price) while the renewed period has not begun, so that a
-- switch prorates the rest of the running period and a cancellation can take the early renewal back.
-- NULL for every other subscription, and for those renewed early before this version.

ALTER TABLE subscriptions ADD COLUMN IF NOT EXISTS prior_plan_version INTEGER;

ALTER TABLE subscriptions ADD COLUMN IF NOT EXISTS prior_period_price DECIMAL(19,4);
