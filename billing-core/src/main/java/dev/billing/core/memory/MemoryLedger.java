package dev.billing.core.memory;

import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.LedgerStore;
import dev.billing.spi.PostingRecord;
import dev.billing.spi.StorageException;
import dev.billing.spi.TransactionRecord;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The in-memory {@link LedgerStore} of one unit of work. */
final class MemoryLedger implements LedgerStore {

    private final MemorySession session;
    private final MemoryTables t;

    MemoryLedger(MemorySession session, MemoryTables t) {
        this.session = session;
        this.t = t;
    }

    @Override
    public long appendTransaction(TransactionRecord transaction, List<PostingRecord> postings) {
        session.check();
        if (t.transactionSeqById.containsKey(transaction.id())) {
            throw session.spoil(new DuplicateKeyException("transaction " + transaction.id() + " exists", null));
        }
        String refundOf = transaction.refundOf();
        if (refundOf != null && t.refundByPurchase.containsKey(refundOf)) {
            throw session.spoil(new DuplicateKeyException("transaction " + refundOf + " has a refund", null));
        }
        Map<String, BigDecimal> byCurrency = new HashMap<>(4);
        boolean sorted = true;
        for (int i = 0; i < postings.size(); i++) {
            PostingRecord p = postings.get(i);
            if (!p.transactionId().equals(transaction.id())) {
                throw session.spoil(new StorageException("posting of " + p.transactionId() + " in transaction " + transaction.id()));
            }
            byCurrency.merge(p.currency(), p.amount(), BigDecimal::add);
            sorted &= i == 0 || postings.get(i - 1).ledgerAccount().compareTo(p.ledgerAccount()) <= 0;
        }
        for (BigDecimal sum : byCurrency.values()) {
            if (sum.signum() != 0) {
                throw session.spoil(new StorageException("postings of transaction " + transaction.id() + " do not balance: "
                        + byCurrency));
            }
        }
        long seq = t.ledger.size() + 1L;
        PostingRecord[] kept = new PostingRecord[postings.size()];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = kept(postings.get(i), transaction.id());
        }
        if (!sorted) {
            Arrays.sort(kept, Comparator.comparing(PostingRecord::ledgerAccount));
        }
        t.ledger.add(new MemoryTables.Booked(transaction.asStored(seq, null), List.of(kept)));
        session.onUndo(() -> t.ledger.remove(t.ledger.size() - 1));
        session.put(t.transactionSeqById, transaction.id(), seq);
        SeqList own = t.seqsByNamespace.computeIfAbsent(transaction.namespace(), n -> new SeqList());
        own.append(seq);
        session.onUndo(() -> own.removeLast(seq));
        if (refundOf != null) {
            session.put(t.refundByPurchase, refundOf, transaction.id());
        }
        for (PostingRecord p : postings) {
            session.put(t.postingSums, p.ledgerAccount(), t.postingSums.getOrDefault(p.ledgerAccount(), BigDecimal.ZERO).add(p.amount()));
        }
        return seq;
    }

    /**
     * @return the posting as the ledger keeps it: its strings shared with the transaction's id and with
     *     the ledger account's name kept once (the heap a posting costs is most of a recharge's)
     */
    private PostingRecord kept(PostingRecord p, String transactionId) {
        String account = t.ledgerAccountNames.computeIfAbsent(p.ledgerAccount(), name -> name);
        return account == p.ledgerAccount() && transactionId == p.transactionId() ? p
                : new PostingRecord(transactionId, account, p.amount(), p.currency());
    }

    @Override
    public Optional<TransactionRecord> findTransaction(String id) {
        session.check();
        Long seq = t.transactionSeqById.get(id);
        return seq == null ? Optional.empty() : Optional.of(t.withRefund(t.transaction(seq)));
    }

    @Override
    public List<TransactionRecord> listTransactions(String namespace, long beforeSeq, int limit) {
        session.check();
        List<TransactionRecord> page = new ArrayList<>();
        SeqList own = t.seqsByNamespace.get(namespace);
        if (own != null) {
            for (long seq : own.below(beforeSeq, limit)) {
                page.add(t.withRefund(t.transaction(seq)));
            }
        }
        return page;
    }

    @Override
    public BigDecimal sumPostings(String ledgerAccount) {
        session.check();
        return t.postingSums.getOrDefault(ledgerAccount, BigDecimal.ZERO);
    }

    @Override
    public Map<String, BigDecimal> sumPostingsByCurrency() {
        session.check();
        Map<String, BigDecimal> sums = new TreeMap<>();
        t.ledger.forEach(b -> b.postings().forEach(p -> sums.merge(p.currency(), p.amount(), BigDecimal::add)));
        return sums;
    }
}
