-- V13: a subscription renewed before its period ended (a renewal window) keeps what the period still
-- running pays for (its plan version, whole price and the purchase that paid it) while the renewed period
-- has not begun, so that a switch prorates the rest of the running period and a cancellation can take the
-- early renewal back, each paying back the purchase it names.
-- NULL for every other subscription, and for those renewed early before this version.

ALTER TABLE subscriptions ADD COLUMN IF NOT EXISTS prior_plan_version INTEGER;

ALTER TABLE subscriptions ADD COLUMN IF NOT EXISTS prior_period_price DECIMAL(19,4);

ALTER TABLE subscriptions ADD COLUMN IF NOT EXISTS prior_transaction_id VARCHAR(255);
