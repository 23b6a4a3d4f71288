package dev.billing.http;

import static dev.billing.http.Routes.Access.OPERATOR;
import static dev.billing.http.Routes.Access.READ;
import static dev.billing.http.Routes.Access.WRITE;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billing.core.BillingEngine;
import dev.billing.core.ErrorCode;
import dev.billing.core.InvalidRequestException;
import dev.billing.core.NotFoundException;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanStatus;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.catalog.Region;
import dev.billing.core.catalog.RegionStatus;
import dev.billing.core.wallet.TransactionPage;
import dev.billing.core.wallet.Wallet;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import javax.money.CurrencyUnit;
import javax.money.Monetary;
import javax.money.UnknownCurrencyException;
import org.javamoney.moneta.Money;

/** The v1 payment API's routes, {@code /payment/v1/...}, and the catalog administration beside them. */
final class PaymentRoutes {

    static final String PREFIX = "/payment/v1";
    static final int DEFAULT_PAGE = 20;

    private final BillingEngine engine;
    private final Views views;
    private final CurrencyUnit defaultCurrency;

    PaymentRoutes(BillingEngine engine, Views views, CurrencyUnit defaultCurrency) {
        this.engine = engine;
        this.views = views;
        this.defaultCurrency = defaultCurrency;
    }

    void register(Routes routes) {
        routes.get(PREFIX + "/account", READ, this::account)
                .get(PREFIX + "/market", READ, this::market)
                .get(PREFIX + "/regions", READ, this::regions)
                .get(PREFIX + "/balance", READ, this::balance)
                .get(PREFIX + "/amounts", READ, this::amounts)
                .get(PREFIX + "/amount/{trans_id}", READ, this::amount)
                .postKeyedByEngine(PREFIX + "/checkout", WRITE, this::checkout)
                .postKeyedByEngine(PREFIX + "/recharge", WRITE, this::recharge)
                .postKeyedByEngine(PREFIX + "/refund", WRITE, this::refund)
                .post(PREFIX + "/admin/regions", OPERATOR, this::defineRegion)
                .post(PREFIX + "/admin/plans", OPERATOR, this::definePlan)
                .post(PREFIX + "/admin/plans/retire", OPERATOR, this::retirePlan);
    }

    // ------------------------------------------------------------------ reads

    private HttpResponse account(Call call) {
        String ns = call.namespace(call.query("namespace").required("namespace"));
        return Call.ok(views.account(engine.accounts().account(ns)));
    }

    private HttpResponse balance(Call call) {
        String ns = call.namespace(call.query("namespace").required("namespace"));
        return Call.ok(views.balance(engine.wallet().balance(ns)));
    }

    private HttpResponse market(Call call) {
        Call.Query q = call.query("region", "type");
        String region = q.required("region");
        ObjectNode body = Json.object();
        body.set("plans", views.plans(engine.catalog().market(region, q.optional("type"))));
        return Call.ok(body);
    }

    private HttpResponse regions(Call call) {
        call.query();
        ArrayNode a = Json.array();
        engine.catalog().regions().forEach(r -> a.add(views.region(r)));
        return Call.ok(a);
    }

    private HttpResponse amounts(Call call) {
        Call.Query q = call.query("namespace", "marker", "limit");
        String ns = call.namespace(q.required("namespace"));
        String marker = q.optional("marker");
        int limit = q.integer("limit", DEFAULT_PAGE, 1, Wallet.MAX_PAGE);
        TransactionPage page;
        try {
            page = engine.wallet().transactions(ns, marker, limit);
        } catch (InvalidRequestException e) {
            if ("cursor".equals(e.field())) {
                throw HttpError.invalid("marker", "is not a marker this API returned for namespace " + ns + ": " + marker);
            }
            throw e;
        }
        ArrayNode a = Json.array();
        page.items().forEach(t -> a.add(views.transaction(t)));
        Map<String, String> headers = page.next()
                .map(next -> Map.of("Link", "<" + PREFIX + "/amounts?namespace=" + encode(ns) + "&marker=" + encode(next)
                        + "&limit=" + limit + ">; rel=\"next\""))
                .orElse(Map.of());
        return Call.respond(200, a, headers);
    }

    private HttpResponse amount(Call call) {
        String ns = call.namespace(call.query("namespace").required("namespace"));
        return Call.ok(views.transaction(engine.wallet().transaction(ns, call.param("trans_id"))));
    }

    // ------------------------------------------------------------------ money-moving writes

    private HttpResponse checkout(Call call) {
        Json.Body body = call.body("plan_id", "namespace", "region");
        String planId = body.text("plan_id");
        String ns = body.text("namespace");
        String region = body.text("region");
        String key = call.idempotencyKey();
        call.namespace(ns);
        return Call.ok(views.balance(call.keyed(key, k -> engine.subscriptions().checkout(ns, planId, region, k))));
    }

    private HttpResponse recharge(Call call) {
        Json.Body body = call.body("amount", "namespace", "currency", "payment_method");
        String ns = body.text("namespace");
        BigDecimal exact = body.decimal("amount", Integer.MAX_VALUE);
        String code = body.optionalText("currency");
        String method = body.optionalText("payment_method");
        String paidBy = method != null ? method : Wallet.DEFAULT_RECHARGE_METHOD;
        String key = call.idempotencyKey();
        call.namespace(ns);
        if (code != null) {
            // with its currency given, the recharge goes straight to the engine, which checks it against the
            // account's: reading the account first was a unit of work of its own, an eighth of the server's
            // time. Only when the engine refuses the amount do the checks below run, to name the first
            // thing wrong with it as they always did (another currency before too many decimals).
            CurrencyUnit given = currency(code);
            try {
                return Call.ok(views.balance(call.keyed(key, k -> engine.wallet().recharge(ns, Money.of(exact, given),
                        paidBy, k))));
            } catch (InvalidRequestException e) {
                if (!"amount".equals(e.field())) {
                    throw e;
                }
            }
        }
        CurrencyUnit own = accountCurrency(ns, code == null);
        CurrencyUnit currency = code != null ? currency(code) : own;
        if (own != null && !own.equals(currency)) {
            throw new HttpError(400, ErrorCode.CURRENCY_MISMATCH.code(), "amount", "amount: is in "
                    + currency.getCurrencyCode() + ", the account " + ns + " is in " + own.getCurrencyCode(), Map.of());
        }
        BigDecimal amount = body.decimal("amount", Math.max(0, currency.getDefaultFractionDigits()));
        return Call.ok(views.balance(call.keyed(key, k -> engine.wallet().recharge(ns, Money.of(amount, currency),
                paidBy, k))));
    }

    private HttpResponse refund(Call call) {
        Json.Body body = call.body("namespace", "trans_id");
        String ns = body.text("namespace");
        String transId = body.text("trans_id");
        String key = call.idempotencyKey();
        call.namespace(ns);
        return Call.ok(views.transaction(call.keyed(key, k -> engine.wallet().refund(ns, transId, k))));
    }

    // ------------------------------------------------------------------ catalog administration

    private HttpResponse defineRegion(Call call) {
        Json.Body body = call.body("identification", "region_describe", "status");
        String id = body.text("identification");
        String description = body.text("region_describe");
        RegionStatus status = status("status", body.optionalText("status"), RegionStatus.class, RegionStatus.AVAILABLE);
        return call.remembered(() -> Call.ok(views.region(engine.catalog().defineRegion(new Region(id, description, status)))));
    }

    private HttpResponse definePlan(Call call) {
        Json.Body body = call.body("plan_id", "type", "price", "currency", "level", "name", "bill_period",
                "description", "region", "status");
        String id = body.text("plan_id");
        String type = body.text("type");
        body.decimal("price", Integer.MAX_VALUE);
        String code = body.optionalText("currency");
        String level = body.optionalText("level");
        String name = body.optionalText("name");
        String period = body.text("bill_period");
        String description = body.text("description");
        String region = body.text("region");
        PlanStatus status = status("status", body.optionalText("status"), PlanStatus.class, PlanStatus.AVAILABLE);
        CurrencyUnit currency = code != null ? currency(code) : requireDefaultCurrency();
        BigDecimal price = body.decimal("price", Math.max(0, currency.getDefaultFractionDigits()));
        PlanTerm billPeriod;
        try {
            billPeriod = PlanTerm.parse(period);
        } catch (IllegalArgumentException e) {
            throw HttpError.invalid("bill_period", "must be one of D, W, M, Q, Y or daily, weekly, monthly, quarterly,"
                    + " yearly; was " + period);
        }
        return call.remembered(() -> {
            Plan plan = new Plan(id, type, level != null ? level : "", name != null ? name : "",
                    Money.of(price, currency), billPeriod, description, region, status, createdAt(id));
            return Call.ok(views.plan(engine.catalog().definePlan(plan)));
        });
    }

    private HttpResponse retirePlan(Call call) {
        String planId = call.body("plan_id").text("plan_id");
        return call.remembered(() -> Call.ok(views.plan(engine.catalog().retirePlan(planId))));
    }

    /** Redefining a plan keeps its creation time. */
    private Instant createdAt(String planId) {
        try {
            return engine.catalog().plan(planId).createdAt();
        } catch (NotFoundException | dev.billing.core.InvalidRequestException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ helpers

    private CurrencyUnit accountCurrency(String namespace) {
        return accountCurrency(namespace, true);
    }

    /** @return the account's currency; for an unknown account the default ({@code orDefault}) or null */
    private CurrencyUnit accountCurrency(String namespace, boolean orDefault) {
        try {
            return engine.accounts().account(namespace).currency();
        } catch (NotFoundException e) {
            return orDefault ? requireDefaultCurrency() : null;
        }
    }

    private CurrencyUnit requireDefaultCurrency() {
        if (defaultCurrency == null) {
            throw HttpError.invalid("currency", "is required: no default currency is configured");
        }
        return defaultCurrency;
    }

    static CurrencyUnit currency(String code) {
        if (!code.matches("[A-Z]{3}")) {
            throw HttpError.invalid("currency", "must be an ISO 4217 code such as CNY, was " + code);
        }
        try {
            CurrencyUnit c = Monetary.getCurrency(code);
            if (c.getDefaultFractionDigits() < 0) {
                throw HttpError.invalid("currency", code + " has no minor unit");
            }
            return c;
        } catch (UnknownCurrencyException e) {
            throw HttpError.invalid("currency", "unknown currency " + code);
        }
    }

    private static <E extends Enum<E>> E status(String field, String text, Class<E> type, E fallback) {
        if (text == null) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (Views.lower(e).equals(text)) {
                return e;
            }
        }
        throw HttpError.invalid(field, "must be one of " + Arrays.stream(type.getEnumConstants()).map(Views::lower)
                .collect(Collectors.joining(", ")) + "; was " + text);
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
