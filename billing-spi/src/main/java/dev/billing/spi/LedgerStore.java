package dev.billing.spi;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The double-entry ledger: append-only transactions, each with postings that sum to zero per currency.
 * Transaction ids are unique, and so is {@link TransactionRecord#refundOf()} among transactions (a
 * purchase is refunded at most once, even by concurrent units of work).
 *
 * <p>Valid only inside the unit of work whose {@link StorageSession} handed it out; not to be shared
 * between threads.
 */
public interface LedgerStore {

    /**
     * Appends a transaction and its postings, which must sum to zero per currency.
     *
     * @return the sequence the store assigned to the transaction
     * @throws DuplicateKeyException when the id exists, or another refund names the same {@code refundOf}
     */
    long appendTransaction(TransactionRecord transaction, List<PostingRecord> postings);

    /** @return the transaction with this id, with {@code seq} and {@code refundedBy} filled */
    Optional<TransactionRecord> findTransaction(String id);

    /**
     * Lists a namespace's transactions, newest (highest seq) first.
     *
     * @param namespace the account
     * @param beforeSeq only transactions with a smaller seq; {@link Long#MAX_VALUE} for the newest
     * @param limit at most this many
     * @return the page, with {@code seq} and {@code refundedBy} filled
     */
    List<TransactionRecord> listTransactions(String namespace, long beforeSeq, int limit);

    /** @return the sum of the postings to this ledger account, zero when there are none */
    BigDecimal sumPostings(String ledgerAccount);

    /** @return the sum of all postings per currency code; every value is zero in a sound ledger */
    Map<String, BigDecimal> sumPostingsByCurrency();
}
