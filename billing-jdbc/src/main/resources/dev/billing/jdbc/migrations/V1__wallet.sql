-- V1: the wallet: catalog, accounts, the double-entry ledger, subscriptions, idempotency keys.
--
-- Standard SQL as far as H2 allows. Money is DECIMAL(19,4) beside a CHAR(3) ISO-4217 code; instants
-- are TIMESTAMP(6) WITH TIME ZONE written in UTC (microseconds). Every statement is idempotent
-- (IF NOT EXISTS), so a migration interrupted on a database without transactional DDL can be re-run.

CREATE TABLE IF NOT EXISTS regions (
    id          VARCHAR(255)  NOT NULL,
    description VARCHAR(2048) NOT NULL,
    status      VARCHAR(32)   NOT NULL,
    CONSTRAINT regions_pk PRIMARY KEY (id)
);

CREATE TABLE IF NOT EXISTS plans (
    id           VARCHAR(255)  NOT NULL,
    plan_type    VARCHAR(255)  NOT NULL,
    -- plan_type lower-cased with Locale.ROOT by the storage, for case-insensitive matching
    plan_type_lc VARCHAR(255)  NOT NULL,
    plan_level   VARCHAR(255)  NOT NULL,
    name         VARCHAR(1024) NOT NULL,
    price        DECIMAL(19,4) NOT NULL,
    currency     CHAR(3)       NOT NULL,
    bill_period  VARCHAR(32)   NOT NULL,
    description  VARCHAR(2048) NOT NULL,
    region       VARCHAR(255)  NOT NULL,
    status       VARCHAR(32)   NOT NULL,
    created_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT plans_pk PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS plans_region_ix ON plans (region);

CREATE TABLE IF NOT EXISTS accounts (
    namespace    VARCHAR(255)  NOT NULL,
    currency     CHAR(3)       NOT NULL,
    status       VARCHAR(32)   NOT NULL,
    notification BOOLEAN       NOT NULL,
    balance      DECIMAL(19,4) NOT NULL,
    created_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT accounts_pk PRIMARY KEY (namespace)
);

CREATE TABLE IF NOT EXISTS transactions (
    seq            BIGINT GENERATED ALWAYS AS IDENTITY,
    id             VARCHAR(255)  NOT NULL,
    namespace      VARCHAR(255)  NOT NULL,
    kind           VARCHAR(32)   NOT NULL,
    amount         DECIMAL(19,4) NOT NULL,
    currency       CHAR(3)       NOT NULL,
    description    VARCHAR(2048) NOT NULL,
    payment_method VARCHAR(255)  NOT NULL,
    plan_id        VARCHAR(255),
    refund_of      VARCHAR(255),
    balance_after  DECIMAL(19,4) NOT NULL,
    created_at     TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT transactions_pk PRIMARY KEY (seq),
    CONSTRAINT transactions_id_uk UNIQUE (id),
    CONSTRAINT transactions_refund_of_uk UNIQUE (refund_of)
);

CREATE INDEX IF NOT EXISTS transactions_namespace_seq_ix ON transactions (namespace, seq);

CREATE TABLE IF NOT EXISTS postings (
    seq             BIGINT GENERATED ALWAYS AS IDENTITY,
    transaction_seq BIGINT        NOT NULL,
    transaction_id  VARCHAR(255)  NOT NULL,
    ledger_account  VARCHAR(255)  NOT NULL,
    amount          DECIMAL(19,4) NOT NULL,
    currency        CHAR(3)       NOT NULL,
    CONSTRAINT postings_pk PRIMARY KEY (seq),
    CONSTRAINT postings_transaction_fk FOREIGN KEY (transaction_seq) REFERENCES transactions (seq)
);

CREATE INDEX IF NOT EXISTS postings_ledger_account_ix ON postings (ledger_account);

CREATE INDEX IF NOT EXISTS postings_transaction_seq_ix ON postings (transaction_seq);

CREATE TABLE IF NOT EXISTS subscriptions (
    id             VARCHAR(255) NOT NULL,
    namespace      VARCHAR(255) NOT NULL,
    plan_id        VARCHAR(255) NOT NULL,
    region         VARCHAR(255) NOT NULL,
    period_start   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    period_end     TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    status         VARCHAR(32)  NOT NULL,
    transaction_id VARCHAR(255) NOT NULL,
    CONSTRAINT subscriptions_pk PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS subscriptions_namespace_ix ON subscriptions (namespace);

CREATE INDEX IF NOT EXISTS subscriptions_transaction_ix ON subscriptions (transaction_id);

CREATE TABLE IF NOT EXISTS idempotency_keys (
    namespace      VARCHAR(255)  NOT NULL,
    idem_key       VARCHAR(512)  NOT NULL,
    fingerprint    VARCHAR(512)  NOT NULL,
    transaction_id VARCHAR(255),
    balance        DECIMAL(19,4),
    status         VARCHAR(32),
    created_at     TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT idempotency_keys_pk PRIMARY KEY (namespace, idem_key)
);
