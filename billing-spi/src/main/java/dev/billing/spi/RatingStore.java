package dev.billing.spi;

import java.util.List;

/**
 * What usage is rated by: the rate card and the accounts' commitments. Rates are keyed by
 * {@code (offeringCode, chargeType, effectiveFrom)} and commitments by {@code (namespace, id)}; putting
 * one with an existing key replaces it.
 *
 * <p>Valid only inside the unit of work whose {@link StorageSession} handed it out; not to be shared
 * between threads.
 */
public interface RatingStore {

    /** Inserts or replaces the rate of {@code (offeringCode, chargeType, effectiveFrom)}. */
    void putRate(RateRecord rate);

    /**
     * @param offeringCode the product, or {@code null} for every product
     * @param chargeType the charge type, or {@code null} for every charge type
     * @return the matching rates, by offering code, charge type, then effective date
     */
    List<RateRecord> listRates(String offeringCode, String chargeType);

    /** Inserts or replaces the commitment {@code (namespace, id)}. */
    void putCommitment(CommitmentRecord commitment);

    /** @return the namespace's commitments, by id */
    List<CommitmentRecord> listCommitments(String namespace);
}
