package dev.billing.http;

import static dev.billing.http.Routes.Access.OPERATOR;
import static dev.billing.http.Routes.Access.READ;
import static dev.billing.http.Routes.Access.WRITE;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billing.core.BillingEngine;
import dev.billing.core.ErrorCode;
import dev.billing.core.NotFoundException;
import dev.billing.core.payments.Payment;
import java.math.BigDecimal;
import javax.money.CurrencyUnit;
import org.javamoney.moneta.Money;

/**
 * Recharges through a payment provider ({@code /v2/accounts/{ran}/payments}, {@code /v2/payments/...}):
 * begun by the host's checkout, then confirmed or failed by the provider's callback, which the host
 * verifies (its signature) and hands on as an operator. Every route is idempotent by the provider's
 * reference; JSON is camelCase with amounts as strings at the currency's scale, as the other {@code /v2} routes.
 */
final class ProviderPaymentRoutes {

    private static final String PAYMENT = ChargesRoutes.PREFIX + "/payments/{provider}/{providerReference}";

    private final BillingEngine engine;
    private final Views views;

    ProviderPaymentRoutes(BillingEngine engine, Views views) {
        this.engine = engine;
        this.views = views;
    }

    void register(Routes routes) {
        routes.post(ChargesRoutes.PREFIX + "/accounts/{ran}/payments", WRITE, this::begin)
                .get(ChargesRoutes.PREFIX + "/accounts/{ran}/payments", READ, this::list)
                .get(PAYMENT, READ, this::read)
                .post(PAYMENT + "/confirm", OPERATOR, this::confirm)
                .post(PAYMENT + "/fail", OPERATOR, this::fail);
    }

    private HttpResponse begin(Call call) {
        call.query();
        Json.Body body = call.body("amount", "currency", "provider", "providerReference");
        String ns = call.namespace(call.param("ran"));
        CurrencyUnit currency = PaymentRoutes.currency(body.text("currency"));
        BigDecimal amount = body.exactDecimal("amount", Math.max(0, currency.getDefaultFractionDigits()));
        String provider = body.text("provider");
        String reference = body.text("providerReference");
        return call.remembered(() -> Call.ok(payment(engine.payments().begin(ns, Money.of(amount, currency), provider,
                reference))));
    }

    private HttpResponse list(Call call) {
        call.query();
        String ns = call.namespace(call.param("ran"));
        ArrayNode a = Json.array();
        engine.payments().payments(ns).forEach(p -> a.add(payment(p)));
        ObjectNode body = Json.object();
        body.set("payments", a);
        return Call.ok(body);
    }

    private HttpResponse read(Call call) {
        call.query();
        String provider = call.param("provider");
        String reference = call.param("providerReference");
        Payment p = engine.payments().payment(provider, reference);
        if (!call.caller().mayAccess(p.namespace())) {
            // as for another namespace's transaction: not found, so that a reference's existence does not leak
            throw new NotFoundException(ErrorCode.PAYMENT_NOT_FOUND, "providerReference", "no " + provider + " payment "
                    + reference);
        }
        return Call.ok(payment(p));
    }

    private HttpResponse confirm(Call call) {
        call.query();
        call.noBody();
        return call.remembered(() -> Call.ok(payment(engine.payments().confirm(call.param("provider"),
                call.param("providerReference")))));
    }

    private HttpResponse fail(Call call) {
        call.query();
        Json.Body body = call.body("reason");
        String reason = body.text("reason");
        return call.remembered(() -> Call.ok(payment(engine.payments().fail(call.param("provider"),
                call.param("providerReference"), reason))));
    }

    private ObjectNode payment(Payment p) {
        ObjectNode n = Json.object();
        n.put("id", p.id());
        n.put("namespace", p.namespace());
        n.put("provider", p.provider());
        n.put("providerReference", p.providerReference());
        n.put("amount", Json.number(p.amount()).toPlainString());
        n.put("currency", p.amount().getCurrency().getCurrencyCode());
        n.put("status", p.status().name().toLowerCase(java.util.Locale.ROOT));
        n.put("createdAt", views.time(p.createdAt()));
        n.put("expiresAt", views.time(p.expiresAt()));
        if (p.settledAt() != null) {
            n.put("settledAt", views.time(p.settledAt()));
        }
        if (p.transactionId() != null) {
            n.put("transId", p.transactionId());
        }
        if (p.reason() != null) {
            n.put("reason", p.reason());
        }
        return n;
    }
}
