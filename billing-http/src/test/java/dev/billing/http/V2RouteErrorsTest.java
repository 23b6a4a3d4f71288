package dev.billing.http;

import static dev.billing.http.BillingHttpHandlerTest.OPS;
import static dev.billing.http.BillingHttpHandlerTest.assertError;
import static dev.billing.http.BillingHttpHandlerTest.assertStatus;
import static dev.billing.http.BillingHttpHandlerTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.billing.core.BillingEngine;
import dev.billing.core.accounts.AccountStatus;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.catalog.Region;
import dev.billing.core.memory.InMemoryStorage;
import dev.billing.core.subscriptions.SubscriptionPolicy;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.StorageSnapshot;
import dev.billing.test.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.money.Monetary;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The documented errors of the {@code /v2} routes (docs/http.md) that the routes' own tests leave out:
 * each answered with the documented status, code and field, and each refused write changing nothing
 * (the whole storage, and what a client sees of it: balance, history, payment and coupon status).
 */
class V2RouteErrorsTest {

    private static final Caller ACME = Caller.of("acme", Set.of(Role.IDENTITY_USER_ADMIN), Set.of("acme"));
    private static final Caller BETA = Caller.of("beta", Set.of(Role.IDENTITY_USER_ADMIN), Set.of("beta"));
    private static final String SUBSCRIPTIONS = "/v2/accounts/acme/subscriptions/";
    private static final String BEGIN = "{\"amount\":\"30.00\",\"currency\":\"CNY\",\"provider\":\"alipay\","
            + "\"providerReference\":\"ref-1\"}";
    private static final String BATCH = "{\"batchId\":\"welcome\",\"amount\":\"20.00\",\"currency\":\"CNY\",\"count\":2,"
            + "\"expiresAt\":\"2026-03-01T00:00:00Z\"}";

    private final BillingStorage storage = InMemoryStorage.create();
    private final TestClock clock = TestClock.at(Instant.parse("2026-01-05T09:00:00Z"), ZoneOffset.UTC);
    private final BillingEngine engine = BillingEngine.builder().storage(storage).clock(clock).zone(ZoneOffset.UTC).build();
    private final BillingHttpHandler handler = handlerOver(engine);
    /** acme's subscription to {@code small}, bought at the start of the test clock. */
    private String id;

    private static BillingHttpHandler handlerOver(BillingEngine engine) {
        return BillingHttpHandler.builder(engine).zone(ZoneOffset.UTC).defaultCurrency(Monetary.getCurrency("CNY")).build();
    }

    private HttpResponse get(Caller caller, String target) {
        return handler.handle(HttpRequest.of("GET", target, Map.of(), new byte[0], caller));
    }

    private HttpResponse post(Caller caller, String target, String json) {
        return post(handler, caller, target, json, null);
    }

    private HttpResponse post(Caller caller, String target, String json, String key) {
        return post(handler, caller, target, json, key);
    }

    /** A POST; {@code json} {@code null} sends no body (and no {@code Content-Type}). */
    private static HttpResponse post(BillingHttpHandler to, Caller caller, String target, String json, String key) {
        Map<String, String> headers = new HashMap<>();
        if (json != null) {
            headers.put("Content-Type", "application/json");
        }
        if (key != null) {
            headers.put("Idempotency-Key", key);
        }
        return to.handle(HttpRequest.of("POST", target, headers,
                json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8), caller));
    }

    /** As {@link BillingHttpHandlerTest#assertError}, and a {@code null} field means the error names none. */
    private static void assertRefused(int status, String code, String field, HttpResponse r) {
        assertError(status, code, field, r);
        if (field == null) {
            assertFalse(json(r).get("error").has("field"), () -> "names no field: " + r.bodyText().strip());
        }
    }

    private StorageSnapshot snapshot() {
        return StorageSnapshot.of(storage);
    }

    /** What acme sees of its money: the balance and the whole history, as the v1 API shows them. */
    private String acmeMoney() {
        return get(ACME, "/payment/v1/balance?namespace=acme").bodyText() + get(ACME,
                "/payment/v1/amounts?namespace=acme&limit=1000").bodyText();
    }

    private JsonNode subscription() {
        HttpResponse r = get(ACME, SUBSCRIPTIONS + id);
        assertStatus(200, r);
        return json(r);
    }

    @BeforeEach
    void anAccountWithASubscription() {
        engine.catalog().defineRegion(Region.available("r", "R"));
        engine.catalog().defineRegion(Region.available("s", "S"));
        engine.catalog().definePlan(Plan.of("small", "C", Money.of(20, "CNY"), PlanTerm.MONTHLY, "1 CPU", "r"));
        engine.catalog().definePlan(Plan.of("large", "C", Money.of(40, "CNY"), PlanTerm.MONTHLY, "2 CPU", "r"));
        engine.catalog().definePlan(Plan.of("dollars", "C", Money.of(6, "USD"), PlanTerm.MONTHLY, "2 CPU in USD", "r"));
        engine.catalog().definePlan(Plan.of("elsewhere", "C", Money.of(40, "CNY"), PlanTerm.MONTHLY, "2 CPU in s", "s"));
        engine.catalog().definePlan(Plan.of("yearly", "C", Money.of(200, "CNY"), PlanTerm.YEARLY, "1 CPU a year", "r"));
        engine.catalog().definePlan(Plan.of("gone", "C", Money.of(30, "CNY"), PlanTerm.MONTHLY, "retired", "r"));
        engine.catalog().retirePlan("gone");
        engine.wallet().recharge("acme", Money.of(100, "CNY"), "r1");
        engine.subscriptions().checkout("acme", "small", "r", "c1");
        id = engine.subscriptions().subscriptions("acme").get(0).id();
    }

    // ------------------------------------------------------------------ account_not_active

    @Test
    void everyV2WriteOnAClosedAccount_is409AccountNotActive_andChangesNothing() {
        assertStatus(200, post(ACME, "/v2/accounts/acme/payments", BEGIN));
        HttpResponse batch = post(OPS, "/v2/coupons", BATCH);
        assertStatus(200, batch);
        String code = json(batch).get("coupons").get(0).get("code").asText();
        engine.accounts().setStatus("acme", AccountStatus.CLOSED, "close-1");
        StorageSnapshot before = snapshot();
        String money = acmeMoney();

        assertRefused(409, "account_not_active", null, post(ACME, "/v2/accounts/acme/payments",
                BEGIN.replace("ref-1", "ref-2")));
        assertRefused(409, "account_not_active", null, post(OPS, "/v2/payments/alipay/ref-1/confirm", null));
        assertRefused(409, "account_not_active", null, post(ACME, "/v2/accounts/acme/coupons",
                "{\"code\":\"" + code + "\"}"));
        assertRefused(409, "account_not_active", null, post(ACME, SUBSCRIPTIONS + id + "/switch",
                "{\"planId\":\"large\"}", "sw-1"));
        assertRefused(409, "account_not_active", null, post(ACME, SUBSCRIPTIONS + id + "/cancel",
                "{\"mode\":\"immediately\",\"refund\":\"prorated\"}", "x-1"));

        assertEquals(before, snapshot());
        assertEquals(money, acmeMoney(), "no balance or history moved");
        assertEquals("pending", json(get(ACME, "/v2/payments/alipay/ref-1")).get("status").asText());
        assertEquals(1, json(get(ACME, "/v2/accounts/acme/payments")).get("payments").size(), "ref-2 was never begun");
        assertEquals("available", json(get(OPS, "/v2/coupons/" + code)).get("status").asText());
        JsonNode sub = subscription();
        assertEquals("small", sub.get("planId").asText());
        assertEquals("active", sub.get("status").asText());
    }

    @Test
    void aSwitchOnASuspendedAccount_is409AccountNotActive_andChangesNothing() {
        engine.accounts().setStatus("acme", AccountStatus.SUSPENDED, "suspend-1");
        StorageSnapshot before = snapshot();
        String money = acmeMoney();
        assertRefused(409, "account_not_active", null, post(ACME, SUBSCRIPTIONS + id + "/switch",
                "{\"planId\":\"large\"}", "sw-1"));
        assertEquals(before, snapshot());
        assertEquals(money, acmeMoney());
        assertEquals("small", subscription().get("planId").asText());
    }

    @Test
    void aRefusedWrite_leavesItsKeyFree_soTheSameRequestSucceedsOnceTheAccountIsActiveAgain() {
        engine.accounts().setStatus("acme", AccountStatus.SUSPENDED, "suspend-1");
        assertRefused(409, "account_not_active", null, post(ACME, SUBSCRIPTIONS + id + "/switch",
                "{\"planId\":\"large\"}", "sw-1"));
        engine.accounts().setStatus("acme", AccountStatus.ACTIVE, "reactivate-1");
        HttpResponse switched = post(ACME, SUBSCRIPTIONS + id + "/switch", "{\"planId\":\"large\"}", "sw-1");
        assertStatus(200, switched);
        assertEquals("large", json(switched).get("planId").asText());
    }

    // ------------------------------------------------------------------ currency_mismatch

    @Test
    void aPaymentOrACouponInAnotherCurrency_is400CurrencyMismatch_andChangesNothing() {
        HttpResponse batch = post(OPS, "/v2/coupons", BATCH.replace("CNY", "USD").replace("welcome", "dollars"));
        assertStatus(200, batch);
        String code = json(batch).get("coupons").get(0).get("code").asText();
        StorageSnapshot before = snapshot();
        String money = acmeMoney();

        // the body's amount is in USD, the account in CNY
        assertRefused(400, "currency_mismatch", "amount", post(ACME, "/v2/accounts/acme/payments",
                BEGIN.replace("CNY", "USD")));
        // the request has only a code: the refusal names it
        assertRefused(400, "currency_mismatch", "code", post(ACME, "/v2/accounts/acme/coupons", "{\"code\":\"" + code + "\"}"));

        assertEquals(before, snapshot());
        assertEquals(money, acmeMoney());
        assertEquals(0, json(get(ACME, "/v2/accounts/acme/payments")).get("payments").size());
        assertEquals("available", json(get(OPS, "/v2/coupons/" + code)).get("status").asText());
    }

    // ------------------------------------------------------------------ quote and switch

    @ParameterizedTest(name = "planId={0}: {1} {2}")
    @CsvSource({
        "gone, 400, plan_not_available", // retired
        "elsewhere, 400, plan_not_available", // not offered in the subscription's region
        "dollars, 400, currency_mismatch", // priced in USD, the account is in CNY
        "yearly, 400, invalid_request", // another term
        "nope, 404, plan_not_found"})
    void aQuoteAndASwitchToAPlanThatCannotBeHad_areRefusedAlike_namingPlanId_andChangeNothing(String planId, int status,
            String code) {
        clock.set(Instant.parse("2026-01-20T21:00:00Z"));
        StorageSnapshot before = snapshot();
        String money = acmeMoney();
        assertRefused(status, code, "planId", get(ACME, SUBSCRIPTIONS + id + "/switch?planId=" + planId));
        assertRefused(status, code, "planId", post(ACME, SUBSCRIPTIONS + id + "/switch",
                "{\"planId\":\"" + planId + "\"}", "sw-" + planId));
        assertEquals(before, snapshot());
        assertEquals(money, acmeMoney());
        assertEquals("small", subscription().get("planId").asText());
    }

    @Test
    void aQuoteOfAnUnknownSubscription_is404() {
        assertRefused(404, "subscription_not_found", "id", get(ACME, SUBSCRIPTIONS + "nope/switch?planId=large"));
    }

    // ------------------------------------------------------------------ cancel and resume

    @Test
    void cancellingAnUnknownSubscription_orAnotherAccounts_is404_andChangesNothing() {
        engine.wallet().recharge("beta", Money.of(100, "CNY"), "r2");
        engine.subscriptions().checkout("beta", "small", "r", "c2");
        String betas = engine.subscriptions().subscriptions("beta").get(0).id();
        StorageSnapshot before = snapshot();
        assertRefused(404, "subscription_not_found", "id", post(ACME, SUBSCRIPTIONS + "nope/cancel",
                "{\"mode\":\"immediately\"}", "x-1"));
        assertRefused(404, "subscription_not_found", "id", post(OPS, SUBSCRIPTIONS + betas + "/cancel",
                "{\"mode\":\"immediately\",\"refund\":\"prorated\"}", "x-2"));
        assertRefused(404, "subscription_not_found", "id", post(OPS, SUBSCRIPTIONS + betas + "/cancel",
                "{\"mode\":\"at_period_end\"}", "x-3"));
        assertEquals(before, snapshot());
        assertEquals("active", json(get(BETA, "/v2/accounts/beta/subscriptions/" + betas)).get("status").asText());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"mode\":\"immediately\"}", "{\"mode\":\"immediately\",\"refund\":\"prorated\"}",
        "{\"mode\":\"at_period_end\"}"})
    void cancellingACancelledSubscription_is409SubscriptionNotActive_andChangesNothing(String body) {
        clock.set(Instant.parse("2026-01-20T21:00:00Z"));
        assertStatus(200, post(ACME, SUBSCRIPTIONS + id + "/cancel", "{\"mode\":\"immediately\",\"refund\":\"prorated\"}",
                "x-1"));
        StorageSnapshot before = snapshot();
        String money = acmeMoney();
        clock.set(Instant.parse("2026-01-25T09:00:00Z"));
        assertRefused(409, "subscription_not_active", null, post(ACME, SUBSCRIPTIONS + id + "/cancel", body, "x-2"));
        assertRefused(409, "subscription_not_active", null, post(ACME, SUBSCRIPTIONS + id + "/resume", null, "u-1"));
        assertEquals(before, snapshot());
        assertEquals(money, acmeMoney(), "no second refund");
        assertEquals("cancelled", subscription().get("status").asText());
    }

    @Test
    void aSubscriptionThatEndedAtItsPeriodEnd_cannotBeCancelledOrResumed() {
        assertStatus(200, post(ACME, SUBSCRIPTIONS + id + "/cancel", "{\"mode\":\"at_period_end\"}", "x-1"));
        clock.set(Instant.parse("2026-02-05T09:00:00Z"));
        assertStatus(200, post(OPS, "/v2/due", null));
        assertEquals("cancelled", subscription().get("status").asText(), "ended without renewing");
        StorageSnapshot before = snapshot();
        String money = acmeMoney();
        assertRefused(409, "subscription_not_active", null, post(ACME, SUBSCRIPTIONS + id + "/cancel",
                "{\"mode\":\"immediately\",\"refund\":\"prorated\"}", "x-2"));
        assertRefused(409, "subscription_not_active", null, post(ACME, SUBSCRIPTIONS + id + "/resume", null, "u-1"));
        assertEquals(before, snapshot());
        assertEquals(money, acmeMoney());
    }

    /** A host's policy: immediate cancellations allowed or not, prorated refunds allowed or not. */
    enum Forbids {
        IMMEDIATE_CANCELLATION(false, true, "{\"mode\":\"immediately\"}", "mode"),
        IMMEDIATE_CANCELLATION_WITH_A_REFUND(false, true, "{\"mode\":\"immediately\",\"refund\":\"prorated\"}", "mode"),
        PRORATED_REFUNDS(true, false, "{\"mode\":\"immediately\",\"refund\":\"prorated\"}", "refund");

        final SubscriptionPolicy policy;
        final String body;
        final String field;

        Forbids(boolean immediate, boolean refunds, String body, String field) {
            this.policy = new SubscriptionPolicy(Duration.ZERO, Duration.ZERO, Duration.ofDays(1), immediate, refunds);
            this.body = body;
            this.field = field;
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Forbids.class)
    void aCancellationTheHostsPolicyForbids_is400NamingTheChoice_andChangesNothing(Forbids forbids) {
        BillingStorage own = InMemoryStorage.create();
        BillingEngine strict = BillingEngine.builder().storage(own).clock(clock).zone(ZoneOffset.UTC)
                .subscriptionPolicy(forbids.policy).build();
        BillingHttpHandler http = handlerOver(strict);
        strict.catalog().defineRegion(Region.available("r", "R"));
        strict.catalog().definePlan(Plan.of("small", "C", Money.of(20, "CNY"), PlanTerm.MONTHLY, "1 CPU", "r"));
        strict.wallet().recharge("acme", Money.of(100, "CNY"), "r1");
        strict.subscriptions().checkout("acme", "small", "r", "c1");
        String sub = strict.subscriptions().subscriptions("acme").get(0).id();
        clock.set(Instant.parse("2026-01-20T21:00:00Z"));
        StorageSnapshot before = StorageSnapshot.of(own);

        assertRefused(400, "invalid_request", forbids.field, post(http, ACME, SUBSCRIPTIONS + sub + "/cancel",
                forbids.body, "x-1"));

        assertEquals(before, StorageSnapshot.of(own));
        assertEquals(Money.of(80, "CNY"), Money.from(strict.wallet().balance("acme").amount()));
        // what the policy allows still goes through
        String allowed = forbids == Forbids.PRORATED_REFUNDS ? "{\"mode\":\"immediately\"}" : "{\"mode\":\"at_period_end\"}";
        assertStatus(200, post(http, ACME, SUBSCRIPTIONS + sub + "/cancel", allowed, "x-2"));
        assertEquals(Money.of(80, "CNY"), Money.from(strict.wallet().balance("acme").amount()), "nothing paid back");
    }

    @Test
    void resumingWhenThePlanWasRetired_is400PlanNotAvailable_andChangesNothing() {
        assertStatus(200, post(ACME, SUBSCRIPTIONS + id + "/cancel", "{\"mode\":\"at_period_end\"}", "x-1"));
        engine.catalog().retirePlan("small");
        StorageSnapshot before = snapshot();
        String money = acmeMoney();
        assertRefused(400, "plan_not_available", "id", post(ACME, SUBSCRIPTIONS + id + "/resume", null, "u-1"));
        assertEquals(before, snapshot());
        assertEquals(money, acmeMoney());
        JsonNode sub = subscription();
        assertTrue(sub.get("cancelAtPeriodEnd").asBoolean(), "still ends at its period end");
        assertEquals("active", sub.get("status").asText());
    }

    // ------------------------------------------------------------------ 404 on reads

    @Test
    void readsOfWhatDoesNotExist_are404() {
        engine.wallet().recharge("beta", Money.of(100, "CNY"), "r2");
        engine.subscriptions().checkout("beta", "small", "r", "c2");
        String betas = engine.subscriptions().subscriptions("beta").get(0).id();
        StorageSnapshot before = snapshot();
        assertRefused(404, "subscription_not_found", "id", get(ACME, SUBSCRIPTIONS + "nope"));
        assertRefused(404, "subscription_not_found", "id", get(OPS, SUBSCRIPTIONS + betas));
        assertRefused(404, "account_not_found", "namespace", get(OPS, "/v2/accounts/ghost/subscriptions"));
        assertRefused(404, "account_not_found", "namespace", get(OPS, "/v2/accounts/ghost/payments"));
        // not in docs/http.md, which lists only subscription_not_found for this route (reported)
        assertRefused(404, "account_not_found", "namespace", get(OPS, "/v2/accounts/ghost/subscriptions/" + id));
        assertEquals(before, snapshot(), "an unknown account is not opened by reading it");
    }

    // ------------------------------------------------------------------ coupons

    @Test
    void readingOrRevokingACodeThatIsMalformedOrUnknown_is400Or404() {
        assertStatus(200, post(OPS, "/v2/coupons", BATCH));
        StorageSnapshot before = snapshot();
        assertRefused(400, "invalid_request", "code", get(OPS, "/v2/coupons/nope"));
        assertRefused(400, "invalid_request", "code", get(OPS, "/v2/coupons/0000-0000-0000-0000-0"));
        assertRefused(404, "coupon_not_found", "code", get(OPS, "/v2/coupons/0000-0000-0000-0000"));
        assertRefused(404, "coupon_not_found", "code", post(OPS, "/v2/coupons/0000-0000-0000-0000/revoke", null));
        assertEquals(before, snapshot());
    }

    @Test
    void aRedeemedCoupon_cannotBeRevoked_norRedeemedByAnotherAccount() {
        engine.wallet().recharge("beta", Money.of(5, "CNY"), "r2");
        String code = json(post(OPS, "/v2/coupons", BATCH)).get("coupons").get(0).get("code").asText();
        HttpResponse redeemed = post(ACME, "/v2/accounts/acme/coupons", "{\"code\":\"" + code + "\"}");
        assertStatus(200, redeemed);
        StorageSnapshot before = snapshot();
        String money = acmeMoney();
        String betaBalance = get(BETA, "/payment/v1/balance?namespace=beta").bodyText();

        assertRefused(409, "coupon_not_available", null, post(OPS, "/v2/coupons/" + code + "/revoke", null));
        assertRefused(409, "coupon_not_available", null, post(BETA, "/v2/accounts/beta/coupons",
                "{\"code\":\"" + code + "\"}"));

        assertEquals(before, snapshot());
        assertEquals(money, acmeMoney());
        assertEquals(betaBalance, get(BETA, "/payment/v1/balance?namespace=beta").bodyText());
        assertEquals(redeemed.bodyText().strip(), get(OPS, "/v2/coupons/" + code).bodyText().strip(),
                "still redeemed by acme");
    }

    @Test
    void anExpiredCoupon_cannotBeRedeemed() {
        String code = json(post(OPS, "/v2/coupons", BATCH)).get("coupons").get(0).get("code").asText();
        clock.set(Instant.parse("2026-03-01T00:00:00Z"));
        assertEquals("expired", json(get(OPS, "/v2/coupons/" + code)).get("status").asText(), "from its expiresAt on");
        StorageSnapshot before = snapshot();
        String money = acmeMoney();
        assertRefused(409, "coupon_not_available", null, post(ACME, "/v2/accounts/acme/coupons",
                "{\"code\":\"" + code + "\"}"));
        assertEquals(before, snapshot());
        assertEquals(money, acmeMoney());
        assertEquals("expired", json(get(OPS, "/v2/coupons/" + code)).get("status").asText());
    }

    @ParameterizedTest(name = "amount {0}")
    @ValueSource(strings = {"\"0.00\"", "\"-20.00\"", "\"20.001\"", "\"twenty\"", "1e400"})
    void aBatchWithABadAmount_is400NamingAmount_andCreatesNothing(String amount) {
        StorageSnapshot before = snapshot();
        assertRefused(400, "invalid_request", "amount", post(OPS, "/v2/coupons", BATCH.replace("\"20.00\"", amount)));
        assertEquals(before, snapshot());
        assertEquals(0, json(get(OPS, "/v2/coupons?batchId=welcome")).get("coupons").size());
    }

    // ------------------------------------------------------------------ payments

    @Test
    void failingAnUnknownPayment_is404() {
        assertStatus(200, post(ACME, "/v2/accounts/acme/payments", BEGIN));
        StorageSnapshot before = snapshot();
        assertRefused(404, "payment_not_found", "providerReference", post(OPS, "/v2/payments/alipay/nope/fail",
                "{\"reason\":\"declined\"}"));
        assertRefused(404, "payment_not_found", "providerReference", post(OPS, "/v2/payments/wechat/ref-1/fail",
                "{\"reason\":\"declined\"}"));
        assertEquals(before, snapshot());
    }

    @Test
    void aPendingPayment_expiresThroughDue_andIsNeverConfirmedAfter() {
        HttpResponse begun = post(ACME, "/v2/accounts/acme/payments", BEGIN);
        assertStatus(200, begun);
        assertEquals("2026-01-06T09:00:00+00:00", json(begun).get("expiresAt").asText());
        String money = acmeMoney();

        clock.set(Instant.parse("2026-01-06T09:00:01Z"));
        // past its expiry but not yet expired by a due run: refused all the same
        StorageSnapshot late = snapshot();
        assertRefused(409, "payment_not_pending", null, post(OPS, "/v2/payments/alipay/ref-1/confirm", null));
        assertEquals(late, snapshot());

        HttpResponse due = post(OPS, "/v2/due", null);
        assertStatus(200, due);
        assertEquals(0, json(due).get("failures").size(), due.bodyText());
        JsonNode expired = json(get(ACME, "/v2/payments/alipay/ref-1"));
        assertEquals("expired", expired.get("status").asText());
        assertEquals("expired", expired.get("reason").asText());
        assertEquals("2026-01-06T09:00:01+00:00", expired.get("settledAt").asText());
        assertFalse(expired.has("transId"));
        assertEquals(expired, json(get(ACME, "/v2/accounts/acme/payments")).get("payments").get(0));

        StorageSnapshot before = snapshot();
        assertRefused(409, "payment_not_pending", null, post(OPS, "/v2/payments/alipay/ref-1/confirm", null));
        // a failure of an expired payment answers it as it stands
        HttpResponse failed = post(OPS, "/v2/payments/alipay/ref-1/fail", "{\"reason\":\"declined\"}");
        assertStatus(200, failed);
        assertEquals(expired, json(failed));
        assertEquals(before, snapshot());
        assertEquals(money, acmeMoney(), "never credited");
    }
}
