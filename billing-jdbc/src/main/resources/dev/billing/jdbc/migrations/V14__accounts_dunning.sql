-- V14: an account's dunning state. past_due: set by the renewal that puts one of its subscriptions in its
-- grace period, cleared by the first credit that finds none past due; on the account's row, so that the
-- balance change a credit makes answers it, and a credit during grace renews at once without a read on every
-- other credit. notified_at: when a failed renewal last flagged the account for notification, so that it is
-- flagged at most once per interval however many of its subscriptions fail. Both filled in here from the
-- subscriptions.
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS past_due BOOLEAN DEFAULT FALSE NOT NULL;

ALTER TABLE accounts ADD COLUMN IF NOT EXISTS notified_at TIMESTAMP(6) WITH TIME ZONE;

UPDATE accounts SET past_due = TRUE
WHERE namespace IN (SELECT namespace FROM subscriptions WHERE status = 'past_due');

UPDATE accounts SET notified_at = (SELECT MAX(s.notified_at) FROM subscriptions s WHERE s.namespace = accounts.namespace);
