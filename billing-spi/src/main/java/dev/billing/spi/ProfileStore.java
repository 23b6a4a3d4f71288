package dev.billing.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Billing profiles: per account, its parent in a hierarchy, its kind, its open billing period and its
 * billing cycle. One profile per namespace (unique). Closing a period is a compare-and-set on the
 * period it ends ({@link #replaceBillingProfile}): of two units of work closing the same period, one wins.
 *
 * <p>Valid only inside the unit of work whose {@link StorageSession} handed it out; not to be shared
 * between threads.
 */
public interface ProfileStore {

    /**
     * Inserts an account's billing profile.
     *
     * @throws DuplicateKeyException when the namespace has one
     */
    void insertBillingProfile(BillingProfileRecord profile);

    /** @return the namespace's billing profile */
    Optional<BillingProfileRecord> findBillingProfile(String namespace);

    /**
     * Like {@link #findBillingProfile}, but first takes the profile's row lock for the rest of the unit
     * of work, so that what it returns is the newest committed profile and no concurrent unit of work
     * can change it before this one ends. A read-modify-write of a profile starts here, or a concurrent
     * change between the read and the write would be lost.
     *
     * @param namespace the account
     * @return the profile, or empty when the account has none (then nothing is locked)
     */
    Optional<BillingProfileRecord> lockBillingProfile(String namespace);

    /**
     * Replaces a billing profile, provided its stored period still starts at {@code expectedPeriodStart}
     * (compare-and-set: of two units of work closing the same period, one wins).
     *
     * @return whether the profile was replaced
     */
    boolean replaceBillingProfile(BillingProfileRecord next, Instant expectedPeriodStart);

    /** @return the profiles whose parent is {@code parent}, by namespace */
    List<BillingProfileRecord> listChildren(String parent);

    /**
     * @param now the moment
     * @param limit at most this many
     * @return profiles whose open period ends at or before {@code now}, by period end, then namespace
     */
    List<BillingProfileRecord> listPeriodsDue(Instant now, int limit);
}
