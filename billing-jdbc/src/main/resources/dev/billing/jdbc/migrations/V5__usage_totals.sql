-- V5: running usage totals per account and period, so that the limits check of every ingestion reads a
-- few rows instead of summing the period's events. The engine keeps them, in the unit of work that
-- stores the events, under the account's billing-profile lock; only the latest periods an account
-- ingested into are kept. Estimates and closes never read them: they sum the events.
--
-- Nothing is backfilled: a period without totals is summed from its events the first time usage
-- enters it after the upgrade, and its totals are kept from then on.
CREATE TABLE IF NOT EXISTS usage_totals (
    namespace     VARCHAR(255)  NOT NULL,
    period_start  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    offering_code VARCHAR(255)  NOT NULL,
    charge_type   VARCHAR(255)  NOT NULL,
    period_end    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    quantity      DECIMAL(28,6) NOT NULL,
    events        BIGINT        NOT NULL,
    -- at most one period per start is kept (putUsageTotals drops the others), so the end is not part of
    -- the key (which keeps the key within MariaDB's 3,072 bytes in utf8mb4)
    CONSTRAINT usage_totals_pk PRIMARY KEY (namespace, period_start, offering_code, charge_type)
);
