-- V8: recharges through payment providers, in two phases: begun (pending, nothing credited), then settled
-- once by a conditional UPDATE from 'pending' (succeeded with the crediting transaction, failed, or expired).
-- (provider, provider_ref) is unique: a provider's reference names one payment.

CREATE TABLE IF NOT EXISTS payments (
    id             VARCHAR(255)  NOT NULL,
    namespace      VARCHAR(255)  NOT NULL,
    provider       VARCHAR(255)  NOT NULL,
    provider_ref   VARCHAR(255)  NOT NULL,
    amount         DECIMAL(19,4) NOT NULL,
    currency       CHAR(3)       NOT NULL,
    status         VARCHAR(32)   NOT NULL,
    created_at     TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    expires_at     TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    settled_at     TIMESTAMP(6) WITH TIME ZONE,
    transaction_id VARCHAR(255),
    reason         VARCHAR(2048),
    CONSTRAINT payments_pk PRIMARY KEY (id),
    CONSTRAINT payments_provider_ref_uk UNIQUE (provider, provider_ref)
);

CREATE INDEX IF NOT EXISTS payments_namespace_ix ON payments (namespace);

CREATE INDEX IF NOT EXISTS payments_status_expires_ix ON payments (status, expires_at);
