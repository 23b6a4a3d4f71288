-- V11: an account's low-balance threshold: a debit that takes the balance below it writes a balance.low
-- event. NULL: none. On the account's row, so that the balance change that answers the row answers it too.
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS low_balance_threshold DECIMAL(19,4);
