package dev.billing.spi;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One leg of a double-entry transaction. The postings of a transaction sum to zero. Immutable,
 * thread-safe.
 *
 * @param transactionId the transaction this posting belongs to
 * @param ledgerAccount the ledger account, such as {@code wallet:hello} or {@code revenue:plans}
 * @param amount positive for a debit to the ledger account's holder's favour (money in), negative for money out
 * @param currency the ISO-4217 code of the amount
 */
public record PostingRecord(String transactionId, String ledgerAccount, BigDecimal amount, String currency) {

    /** Rejects null fields. */
    public PostingRecord {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(ledgerAccount, "ledgerAccount");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
    }
}
