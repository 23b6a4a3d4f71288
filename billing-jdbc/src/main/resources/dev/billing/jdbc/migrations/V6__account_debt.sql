-- V6: an account's debt as a column of its row, so that a recharge learns whether it must pay arrears
-- from the balance change it makes anyway, instead of summing the account's receivable postings. The
-- engine keeps it equal to the negated sum of the postings to 'receivable:<namespace>'; this script sets
-- it so for the accounts that exist.
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS debt DECIMAL(19,4) NOT NULL DEFAULT 0;
UPDATE accounts SET debt = 0 - (SELECT COALESCE(SUM(p.amount), 0) FROM postings p
    WHERE p.ledger_account = CONCAT('receivable:', accounts.namespace));
