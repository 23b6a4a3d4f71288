-- V2: metering: the rate card, billing profiles, usage events, commitments, statements; an index for
-- finding subscriptions due for renewal.
--
-- Same conventions as V1: standard SQL as far as H2 allows, idempotent statements (IF NOT EXISTS),
-- money DECIMAL(19,4) beside a CHAR(3) ISO-4217 code, instants TIMESTAMP(6) WITH TIME ZONE in UTC.
-- Quantities are DECIMAL(28,6) and unit rates DECIMAL(19,6); the storage refuses values these columns
-- would round.

-- A rate of (offering_code, charge_type) from effective_from on; its graduated tiers are in rate_tiers.
CREATE TABLE IF NOT EXISTS rates (
    offering_code     VARCHAR(255)  NOT NULL,
    charge_type       VARCHAR(255)  NOT NULL,
    effective_from    DATE          NOT NULL,
    unit_of_measure   VARCHAR(64)   NOT NULL,
    currency          CHAR(3)       NOT NULL,
    included_quantity DECIMAL(28,6) NOT NULL,
    CONSTRAINT rates_pk PRIMARY KEY (offering_code, charge_type, effective_from)
);

-- tier_no is the tier's position in the rate's list, from 0; up_to is NULL for the unbounded last tier
CREATE TABLE IF NOT EXISTS rate_tiers (
    offering_code  VARCHAR(255)  NOT NULL,
    charge_type    VARCHAR(255)  NOT NULL,
    effective_from DATE          NOT NULL,
    tier_no        INT           NOT NULL,
    up_to          DECIMAL(28,6),
    unit_rate      DECIMAL(19,6) NOT NULL,
    CONSTRAINT rate_tiers_pk PRIMARY KEY (offering_code, charge_type, effective_from, tier_no),
    CONSTRAINT rate_tiers_rate_fk FOREIGN KEY (offering_code, charge_type, effective_from)
        REFERENCES rates (offering_code, charge_type, effective_from)
);

CREATE TABLE IF NOT EXISTS billing_profiles (
    namespace    VARCHAR(255) NOT NULL,
    parent       VARCHAR(255),
    kind         VARCHAR(32)  NOT NULL,
    period_start TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    period_end   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT billing_profiles_pk PRIMARY KEY (namespace)
);

-- listPeriodsDue: period_end <= ? ORDER BY period_end, namespace
CREATE INDEX IF NOT EXISTS billing_profiles_period_end_ix ON billing_profiles (period_end, namespace);

-- listChildren: parent = ?
CREATE INDEX IF NOT EXISTS billing_profiles_parent_ix ON billing_profiles (parent);

CREATE TABLE IF NOT EXISTS usage_events (
    namespace     VARCHAR(255)  NOT NULL,
    event_id      VARCHAR(255)  NOT NULL,
    offering_code VARCHAR(255)  NOT NULL,
    charge_type   VARCHAR(255)  NOT NULL,
    quantity      DECIMAL(28,6) NOT NULL,
    occurred_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    recorded_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT usage_events_pk PRIMARY KEY (namespace, event_id)
);

-- sumUsage: namespace = ? AND occurred_at >= ? AND occurred_at < ?, summed in the database
CREATE INDEX IF NOT EXISTS usage_events_namespace_occurred_ix ON usage_events (namespace, occurred_at);

CREATE TABLE IF NOT EXISTS commitments (
    namespace   VARCHAR(255)  NOT NULL,
    id          VARCHAR(255)  NOT NULL,
    percent_off DECIMAL(9,4)  NOT NULL,
    threshold   DECIMAL(19,4) NOT NULL,
    currency    CHAR(3)       NOT NULL,
    end_date    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT commitments_pk PRIMARY KEY (namespace, id)
);

CREATE TABLE IF NOT EXISTS statements (
    id                     VARCHAR(255)  NOT NULL,
    namespace              VARCHAR(255)  NOT NULL,
    period_start           TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    period_end             TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    currency               CHAR(3)       NOT NULL,
    charge_sub_total       DECIMAL(19,4) NOT NULL,
    discount_total         DECIMAL(19,4) NOT NULL,
    charge_total           DECIMAL(19,4) NOT NULL,
    charge_hierarchy_total DECIMAL(19,4) NOT NULL,
    total                  DECIMAL(19,4) NOT NULL,
    transaction_id         VARCHAR(255),
    created_at             TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT statements_pk PRIMARY KEY (id),
    CONSTRAINT statements_namespace_period_uk UNIQUE (namespace, period_start)
);

CREATE TABLE IF NOT EXISTS statement_lines (
    statement_id       VARCHAR(255)  NOT NULL,
    line_no            INT           NOT NULL,
    offering_code      VARCHAR(255)  NOT NULL,
    charge_type        VARCHAR(255)  NOT NULL,
    category           VARCHAR(32)   NOT NULL,
    quantity           DECIMAL(28,6) NOT NULL,
    unit_of_measure    VARCHAR(64)   NOT NULL,
    rate               DECIMAL(19,6) NOT NULL,
    amount             DECIMAL(19,4) NOT NULL,
    end_date           TIMESTAMP(6) WITH TIME ZONE,
    charge_details     VARCHAR(2048),
    charge_description VARCHAR(2048),
    CONSTRAINT statement_lines_pk PRIMARY KEY (statement_id, line_no),
    CONSTRAINT statement_lines_statement_fk FOREIGN KEY (statement_id) REFERENCES statements (id)
);

-- listSubscriptionsDue: status = 'active' AND period_end <= ? ORDER BY period_end, id
CREATE INDEX IF NOT EXISTS subscriptions_status_period_end_ix ON subscriptions (status, period_end);
