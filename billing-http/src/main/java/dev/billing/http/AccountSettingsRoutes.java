package dev.billing.http;

import static dev.billing.http.Routes.Access.ADMIN;
import static dev.billing.http.Routes.Access.READ;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billing.core.BillingEngine;
import java.math.BigDecimal;
import javax.money.CurrencyUnit;
import org.javamoney.moneta.Money;

/**
 * An account's settings beside its billing profile: the low-balance threshold whose crossing writes a
 * {@code balance.low} event ({@code /v2/accounts/{ran}/low-balance-threshold}). Setting it is
 * administration of one account (admin and billing:admin); reading it, any role on the account.
 */
final class AccountSettingsRoutes {

    private final BillingEngine engine;

    AccountSettingsRoutes(BillingEngine engine) {
        this.engine = engine;
    }

    void register(Routes routes) {
        routes.post(ChargesRoutes.PREFIX + "/accounts/{ran}/low-balance-threshold", ADMIN, this::setThreshold)
                .get(ChargesRoutes.PREFIX + "/accounts/{ran}/low-balance-threshold", READ, call -> {
                    call.query();
                    String ns = call.namespace(call.param("ran"));
                    // the balance's currency: a light read, where the account's view lists its subscriptions
                    CurrencyUnit currency = engine.wallet().balance(ns).amount().getCurrency();
                    return Call.ok(view(ns, engine.accounts().lowBalanceThreshold(ns).orElse(null), currency));
                });
    }

    private static ObjectNode view(String ns, javax.money.MonetaryAmount threshold, CurrencyUnit currency) {
        ObjectNode n = Json.object();
        n.put("namespace", ns);
        if (threshold == null) {
            n.putNull("threshold");
        } else {
            n.put("threshold", Json.number(threshold).toPlainString());
        }
        n.put("currency", currency.getCurrencyCode());
        return n;
    }

    private HttpResponse setThreshold(Call call) {
        call.query();
        Json.Body body = call.body("threshold");
        String ns = call.namespace(call.param("ran"));
        CurrencyUnit currency = engine.accounts().account(ns).currency();
        BigDecimal threshold = body.optionalExactDecimal("threshold", Math.max(0, currency.getDefaultFractionDigits()));
        return call.remembered(() -> {
            engine.accounts().setLowBalanceThreshold(ns, threshold == null ? null : Money.of(threshold, currency));
            return Call.ok(view(ns, threshold == null ? null : Money.of(threshold, currency), currency));
        });
    }
}
