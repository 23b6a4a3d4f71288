package dev.billing.jdbc;

import dev.billing.spi.AccountRecord;
import dev.billing.spi.IdempotencyRecord;
import dev.billing.spi.PlanRecord;
import dev.billing.spi.PostingRecord;
import dev.billing.spi.SubscriptionRecord;
import dev.billing.spi.TransactionRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Records for tests, with readable defaults. */
final class Records {

    static final Instant T0 = Instant.parse("2016-09-26T09:27:04.123456Z");

    private Records() {
    }

    static BigDecimal dec(String value) {
        return new BigDecimal(value);
    }

    static AccountRecord account(String namespace) {
        return new AccountRecord(namespace, "CNY", "active", false, BigDecimal.ZERO, BigDecimal.ZERO, T0);
    }

    static String wallet(String namespace) {
        return "wallet:" + namespace;
    }

    static TransactionRecord recharge(String id, String namespace, String amount, String balanceAfter) {
        return new TransactionRecord(0, id, namespace, "recharge", dec(amount), "CNY", "top-up", "alipay", null, null,
                dec(balanceAfter), T0, null);
    }

    static TransactionRecord purchase(String id, String namespace, String amount, String balanceAfter) {
        return new TransactionRecord(0, id, namespace, "purchase", dec(amount), "CNY", "1 CPU Core", "balance",
                "plan-small", null, dec(balanceAfter), T0, null);
    }

    static TransactionRecord refund(String id, String namespace, String refundOf, String amount, String balanceAfter) {
        return new TransactionRecord(0, id, namespace, "refund", dec(amount), "CNY", "refund", "balance", "plan-small",
                refundOf, dec(balanceAfter), T0, null);
    }

    /** @return two balanced postings: the wallet gets {@code amount}, {@code counter} the opposite */
    static List<PostingRecord> postings(TransactionRecord t, String counter, BigDecimal walletAmount) {
        return List.of(new PostingRecord(t.id(), wallet(t.namespace()), walletAmount, t.currency()),
                new PostingRecord(t.id(), counter, walletAmount.negate(), t.currency()));
    }

    static PlanRecord plan(String id, String type, String price, String region, String status) {
        return new PlanRecord(id, type, "S", "name " + id, dec(price), "CNY", "monthly", "description of " + id,
                region, status, T0);
    }

    static SubscriptionRecord subscription(String id, String namespace, Instant start, String transactionId) {
        return new SubscriptionRecord(id, namespace, "plan-small", "aws", start, start.plusSeconds(86_400L * 30),
                "active", transactionId);
    }

    static IdempotencyRecord idempotency(String namespace, String key, String transactionId) {
        return new IdempotencyRecord(namespace, key, "f".repeat(64), transactionId, transactionId == null ? null
                : dec("12.5"), transactionId == null ? null : "active", T0);
    }
}
