package dev.billing.http;

import static dev.billing.http.Routes.Access.OPERATOR;
import static dev.billing.http.Routes.Access.WRITE;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billing.core.BillingEngine;
import dev.billing.core.coupons.Coupon;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import javax.money.CurrencyUnit;
import org.javamoney.moneta.Money;

/**
 * Coupons ({@code /v2/coupons}, {@code /v2/accounts/{ran}/coupons}): operators create batches, read and
 * revoke them (codes are secrets: operators only); an account redeems a code into its wallet. JSON is
 * camelCase with amounts as strings at the currency's scale, as the other {@code /v2} routes.
 */
final class CouponRoutes {

    private static final String COUPONS = ChargesRoutes.PREFIX + "/coupons";

    private final BillingEngine engine;
    private final Views views;

    CouponRoutes(BillingEngine engine, Views views) {
        this.engine = engine;
        this.views = views;
    }

    void register(Routes routes) {
        routes.post(COUPONS, OPERATOR, this::createBatch)
                .get(COUPONS, OPERATOR, this::batch)
                .get(COUPONS + "/{code}", OPERATOR, call -> {
                    call.query();
                    return Call.ok(coupon(engine.coupons().coupon(call.param("code"))));
                })
                .post(COUPONS + "/{code}/revoke", OPERATOR, this::revoke)
                .post(ChargesRoutes.PREFIX + "/accounts/{ran}/coupons", WRITE, this::redeem);
    }

    private HttpResponse createBatch(Call call) {
        call.query();
        Json.Body body = call.body("batchId", "amount", "currency", "count", "expiresAt");
        String batchId = body.text("batchId");
        CurrencyUnit currency = PaymentRoutes.currency(body.text("currency"));
        BigDecimal amount = body.exactDecimal("amount", Math.max(0, currency.getDefaultFractionDigits()));
        BigDecimal count = body.decimal("count", 0);
        if (count.compareTo(BigDecimal.ONE) < 0 || count.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            throw HttpError.invalid("count", "must be a whole number from 1, was " + count.toPlainString());
        }
        java.time.Instant expiresAt = ChargesRoutes.instant("expiresAt", body.text("expiresAt"));
        return call.remembered(() -> Call.ok(coupons(engine.coupons().createBatch(batchId, Money.of(amount, currency),
                count.intValueExact(), expiresAt))));
    }

    private HttpResponse batch(Call call) {
        Call.Query q = call.query("batchId");
        String batchId = q.optional("batchId");
        if (batchId == null) {
            throw HttpError.invalid("batchId", "is required");
        }
        return Call.ok(coupons(engine.coupons().batch(batchId)));
    }

    private HttpResponse revoke(Call call) {
        call.query();
        call.noBody();
        return call.remembered(() -> Call.ok(coupon(engine.coupons().revoke(call.param("code")))));
    }

    private HttpResponse redeem(Call call) {
        call.query();
        Json.Body body = call.body("code");
        String ns = call.namespace(call.param("ran"));
        String code = body.text("code");
        return call.remembered(() -> Call.ok(coupon(engine.coupons().redeem(code, ns))));
    }

    private ObjectNode coupons(List<Coupon> list) {
        ArrayNode a = Json.array();
        list.forEach(c -> a.add(coupon(c)));
        ObjectNode body = Json.object();
        body.set("coupons", a);
        return body;
    }

    private ObjectNode coupon(Coupon c) {
        ObjectNode n = Json.object();
        n.put("code", c.code());
        n.put("batchId", c.batchId());
        n.put("amount", Json.number(c.amount()).toPlainString());
        n.put("currency", c.amount().getCurrency().getCurrencyCode());
        n.put("status", c.status().name().toLowerCase(Locale.ROOT));
        n.put("createdAt", views.time(c.createdAt()));
        n.put("expiresAt", views.time(c.expiresAt()));
        if (c.redeemedBy() != null) {
            n.put("redeemedBy", c.redeemedBy());
        }
        if (c.settledAt() != null) {
            n.put("settledAt", views.time(c.settledAt()));
        }
        if (c.transactionId() != null) {
            n.put("transId", c.transactionId());
        }
        return n;
    }
}
