-- V15, MariaDB only (elsewhere recorded, nothing created): V12's procedure again, answering the account's
-- row with the dunning columns of V14 (JdbiAccountStore.ACCOUNT_COLUMNS). Otherwise the same: a balance change,
-- the transaction that records it (with the balance after it) and its two postings in one call; a refused
-- change writes nothing and answers no row. The script is one statement.
CREATE OR REPLACE PROCEDURE billing_apply_and_append(
    IN p_namespace      TEXT,
    IN p_delta          DECIMAL(65,30),
    IN p_ceiling        DECIMAL(65,30),
    IN p_floor          DECIMAL(65,30),
    IN p_id             TEXT,
    IN p_tx_namespace   TEXT,
    IN p_kind           TEXT,
    IN p_amount         DECIMAL(65,30),
    IN p_currency       TEXT,
    IN p_description    TEXT,
    IN p_payment_method TEXT,
    IN p_plan_id        TEXT,
    IN p_refund_of      TEXT,
    IN p_created_at     DATETIME(6),
    IN p_posting_1_tx   TEXT,
    IN p_posting_1_to   TEXT,
    IN p_posting_1_amt  DECIMAL(65,30),
    IN p_posting_1_cur  TEXT,
    IN p_posting_2_tx   TEXT,
    IN p_posting_2_to   TEXT,
    IN p_posting_2_amt  DECIMAL(65,30),
    IN p_posting_2_cur  TEXT)
SQL SECURITY INVOKER
MODIFIES SQL DATA
BEGIN
    DECLARE v_seq BIGINT;
    UPDATE accounts SET balance = balance + p_delta
    WHERE namespace = p_namespace AND balance + p_delta < p_ceiling AND balance + p_delta >= p_floor;
    IF ROW_COUNT() = 1 THEN
        INSERT INTO transactions (id, namespace, kind, amount, currency, description, payment_method, plan_id,
                                  refund_of, balance_after, created_at)
        SELECT p_id, p_tx_namespace, p_kind, p_amount, p_currency, p_description, p_payment_method, p_plan_id,
               p_refund_of, balance, p_created_at
        FROM accounts WHERE namespace = p_namespace;
        SET v_seq = LAST_INSERT_ID();
        INSERT INTO postings (transaction_seq, transaction_id, ledger_account, amount, currency)
        VALUES (v_seq, p_posting_1_tx, p_posting_1_to, p_posting_1_amt, p_posting_1_cur),
               (v_seq, p_posting_2_tx, p_posting_2_to, p_posting_2_amt, p_posting_2_cur);
        SELECT namespace, currency, status, notification, balance, debt, created_at, low_balance_threshold, past_due, notified_at
        FROM accounts WHERE namespace = p_namespace;
    END IF;
END
