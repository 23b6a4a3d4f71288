package dev.billing.core.wallet;

import java.util.List;
import java.util.Optional;

/**
 * One page of a namespace's transactions, newest first. Immutable, thread-safe.
 *
 * @param items the transactions of this page
 * @param nextCursor the cursor of the next (older) page, or {@code null} on the last page: opaque (it is the
 *     id of this page's last transaction, which reveals nothing of other namespaces) and valid only for its
 *     namespace
 */
public record TransactionPage(List<Transaction> items, String nextCursor) {

    /** Copies the list. */
    public TransactionPage {
        items = List.copyOf(items);
    }

    /** @return the cursor of the next (older) page, empty on the last page */
    public Optional<String> next() {
        return Optional.ofNullable(nextCursor);
    }
}
