-- V3: responses remembered under an idempotency key, so that a retried HTTP request whose effect is
-- idempotent by nature (usage by event id, catalog definitions) gets the same answer.

CREATE TABLE IF NOT EXISTS http_responses (
    scope       VARCHAR(255)           NOT NULL,
    idem_key    VARCHAR(512)           NOT NULL,
    fingerprint VARCHAR(512)           NOT NULL,
    status      INTEGER                NOT NULL,
    body        CHARACTER LARGE OBJECT NOT NULL,
    created_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT http_responses_pk PRIMARY KEY (scope, idem_key)
);
