-- V9: coupons (vouchers): a code worth an amount, redeemed into one wallet at most once by a conditional
-- UPDATE from 'available' (and, for a redemption, before expires_at), or revoked the same way. A coupon's
-- place in its batch is unique, so that of two units of work creating one batch, one commits.

CREATE TABLE IF NOT EXISTS coupons (
    code           VARCHAR(64)   NOT NULL,
    batch_id       VARCHAR(255)  NOT NULL,
    batch_index    INTEGER       NOT NULL,
    amount         DECIMAL(19,4) NOT NULL,
    currency       CHAR(3)       NOT NULL,
    status         VARCHAR(32)   NOT NULL,
    created_at     TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    expires_at     TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    redeemed_by    VARCHAR(255),
    settled_at     TIMESTAMP(6) WITH TIME ZONE,
    transaction_id VARCHAR(255),
    CONSTRAINT coupons_pk PRIMARY KEY (code),
    CONSTRAINT coupons_batch_uk UNIQUE (batch_id, batch_index)
);
