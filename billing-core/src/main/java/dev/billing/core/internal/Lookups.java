package dev.billing.core.internal;

import dev.billing.core.ConflictException;
import dev.billing.core.ErrorCode;
import dev.billing.core.NotFoundException;
import dev.billing.spi.AccountRecord;
import dev.billing.spi.PlanRecord;
import dev.billing.spi.RegionRecord;
import dev.billing.spi.StorageSession;
import dev.billing.spi.TransactionRecord;

/** Reads that every area makes and that fail the same way when nothing is found. Not API. */
public final class Lookups {

    private Lookups() {
    }

    /** @throws NotFoundException ({@link ErrorCode#ACCOUNT_NOT_FOUND}, field {@code namespace}) */
    public static AccountRecord requireAccount(StorageSession s, String namespace) {
        return s.accounts().findAccount(namespace).orElseThrow(() -> new NotFoundException(ErrorCode.ACCOUNT_NOT_FOUND,
                "namespace", "no account " + namespace));
    }

    /**
     * Reads an account holding its row lock until the unit of work ends: a zero balance change (a
     * conditional update of the row, in every storage) takes the lock and returns the row as of it. A
     * change that writes the account's status or notification flag reads it this way, so that it never
     * writes back what a concurrent unit of work (a period close suspending it, a recharge paying its
     * debt), in this process or another, changed meanwhile.
     *
     * @throws NotFoundException ({@link ErrorCode#ACCOUNT_NOT_FOUND}, field {@code namespace})
     */
    public static AccountRecord lockAccount(StorageSession s, String namespace) {
        // a zero change can only be refused when no account has the namespace
        return s.accounts().applyBalanceDelta(namespace, java.math.BigDecimal.ZERO, null).orElseThrow(() ->
                new NotFoundException(ErrorCode.ACCOUNT_NOT_FOUND, "namespace", "no account " + namespace));
    }

    /** @throws NotFoundException ({@link ErrorCode#PLAN_NOT_FOUND}, field {@code planId}) */
    public static PlanRecord requirePlan(StorageSession s, String planId) {
        return s.catalog().findPlan(planId).orElseThrow(() -> planNotFound(planId));
    }

    /** @return the refusal of a plan id that names no plan ({@link ErrorCode#PLAN_NOT_FOUND}, field {@code planId}) */
    public static NotFoundException planNotFound(String planId) {
        return new NotFoundException(ErrorCode.PLAN_NOT_FOUND, "planId", "no plan " + planId);
    }

    /** @throws NotFoundException ({@link ErrorCode#REGION_NOT_FOUND}, naming {@code field}) */
    public static RegionRecord requireRegion(StorageSession s, String field, String region) {
        return s.catalog().findRegion(region).orElseThrow(() -> regionNotFound(field, region));
    }

    /** @return the refusal of a region that does not exist ({@link ErrorCode#REGION_NOT_FOUND}, naming {@code field}) */
    public static NotFoundException regionNotFound(String field, String region) {
        return new NotFoundException(ErrorCode.REGION_NOT_FOUND, field, "no region " + region);
    }

    /** @throws NotFoundException ({@link ErrorCode#TRANSACTION_NOT_FOUND}, field {@code transactionId}) */
    public static TransactionRecord requireTransaction(StorageSession s, String namespace, String id) {
        return s.ledger().findTransaction(id).filter(t -> t.namespace().equals(namespace))
                .orElseThrow(() -> new NotFoundException(ErrorCode.TRANSACTION_NOT_FOUND,
                        "transactionId", "namespace " + namespace + " has no transaction " + id));
    }

    /** @return the refusal of a call that the account's status forbids */
    public static ConflictException notActive(AccountRecord a) {
        return new ConflictException(ErrorCode.ACCOUNT_NOT_ACTIVE, null, "namespace " + a.namespace() + " is " + a.status());
    }
}
