-- V10: plan versions and the subscription lifecycle. A plan's price, term, description or names change by
-- a new version (plans.version_no); every version is kept in plan_versions, so that a subscription pays
-- the version it bought until it renews. A subscription keeps that version, what a whole period costs at
-- it (backfilled from the purchase that paid the current period), whether it ends at its period end,
-- when a failed renewal's grace ends, when its account was last flagged, and a revision that every change
-- compares and bumps.

ALTER TABLE plans ADD COLUMN IF NOT EXISTS version_no INTEGER NOT NULL DEFAULT 1;

CREATE TABLE IF NOT EXISTS plan_versions (
    id           VARCHAR(255)  NOT NULL,
    version_no   INTEGER       NOT NULL,
    plan_type    VARCHAR(255)  NOT NULL,
    plan_level   VARCHAR(255)  NOT NULL,
    name         VARCHAR(1024) NOT NULL,
    price        DECIMAL(19,4) NOT NULL,
    currency     CHAR(3)       NOT NULL,
    bill_period  VARCHAR(32)   NOT NULL,
    description  VARCHAR(2048) NOT NULL,
    region       VARCHAR(255)  NOT NULL,
    status       VARCHAR(32)   NOT NULL,
    created_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT plan_versions_pk PRIMARY KEY (id, version_no)
);

INSERT INTO plan_versions (id, version_no, plan_type, plan_level, name, price, currency, bill_period, description,
        region, status, created_at)
    SELECT p.id, p.version_no, p.plan_type, p.plan_level, p.name, p.price, p.currency, p.bill_period, p.description,
        p.region, p.status, p.created_at
    FROM plans p
    WHERE NOT EXISTS (SELECT 1 FROM plan_versions v WHERE v.id = p.id AND v.version_no = p.version_no);

ALTER TABLE subscriptions ADD COLUMN IF NOT EXISTS plan_version INTEGER NOT NULL DEFAULT 1;

ALTER TABLE subscriptions ADD COLUMN IF NOT EXISTS period_price DECIMAL(19,4);

UPDATE subscriptions SET period_price = (SELECT t.amount FROM transactions t WHERE t.id = subscriptions.transaction_id)
    WHERE period_price IS NULL;

ALTER TABLE subscriptions ADD COLUMN IF NOT EXISTS cancel_at_period_end BOOLEAN NOT NULL DEFAULT FALSE;

ALTER TABLE subscriptions ADD COLUMN IF NOT EXISTS grace_until TIMESTAMP(6) WITH TIME ZONE;

ALTER TABLE subscriptions ADD COLUMN IF NOT EXISTS notified_at TIMESTAMP(6) WITH TIME ZONE;

ALTER TABLE subscriptions ADD COLUMN IF NOT EXISTS revision BIGINT NOT NULL DEFAULT 0;
