package dev.billing.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billing.core.accounts.Account;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.Region;
import dev.billing.core.wallet.Balance;
import dev.billing.core.wallet.Transaction;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/** The v1 payment API's JSON views (snake_case), with times in one zone. */
final class Views {

    /** {@code 2016-09-26T17:27:04+08:00}: seconds, and the offset even when it is zero. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx", Locale.ROOT);

    private final ZoneId zone;

    Views(ZoneId zone) {
        this.zone = zone;
    }

    String time(Instant t) {
        return TIME.format(t.atZone(zone).truncatedTo(ChronoUnit.SECONDS));
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    ObjectNode plan(Plan p) {
        ObjectNode n = Json.object();
        n.put("plan_id", p.id());
        n.put("type", p.type());
        Json.putAmount(n, "price", p.price());
        n.put("currency", p.price().getCurrency().getCurrencyCode());
        n.put("level", p.level());
        n.put("name", p.name());
        n.put("bill_period", p.term().letter());
        n.put("description", p.description());
        n.put("region", p.region());
        n.put("status", lower(p.status()));
        if (p.createdAt() != null) {
            n.put("creation_time", time(p.createdAt()));
        }
        return n;
    }

    ArrayNode plans(List<Plan> plans) {
        ArrayNode a = Json.array();
        plans.forEach(p -> a.add(plan(p)));
        return a;
    }

    ObjectNode region(Region r) {
        ObjectNode n = Json.object();
        n.put("identification", r.id());
        n.put("region_describe", r.description());
        n.put("status", lower(r.status()));
        return n;
    }

    ObjectNode balance(Balance b) {
        ObjectNode n = Json.object();
        Json.putAmount(n, "balance", b.amount());
        n.put("status", lower(b.status()));
        return n;
    }

    ObjectNode account(Account a) {
        ObjectNode n = Json.object();
        n.put("namespace", a.namespace());
        n.put("purchased", a.purchased());
        n.put("notification", a.notification());
        n.set("plans", plans(a.plans()));
        n.put("status", lower(a.status()));
        ObjectNode balance = Json.object();
        Json.putAmount(balance, "balance", a.balance());
        n.set("balance", balance);
        n.put("currency", a.currency().getCurrencyCode());
        return n;
    }

    ObjectNode transaction(Transaction t) {
        ObjectNode n = Json.object();
        n.put("trans_id", t.id());
        n.put("creation_time", time(t.createdAt()));
        Json.putAmount(n, "amount", t.amount());
        n.put("description", t.description());
        n.put("payment_method", t.paymentMethod());
        n.put("status", lower(t.status()));
        n.put("kind", lower(t.kind()));
        n.put("currency", t.amount().getCurrency().getCurrencyCode());
        Json.putAmount(n, "balance_after", t.balanceAfter());
        if (t.planId() != null) {
            n.put("plan_id", t.planId());
        }
        if (t.refundOf() != null) {
            n.put("refund_of", t.refundOf());
        }
        if (t.refundedBy() != null) {
            n.put("refunded_by", t.refundedBy());
        }
        return n;
    }
}
