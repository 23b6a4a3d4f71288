package dev.billing.http;

import static dev.billing.http.Routes.Access.ADMIN;
import static dev.billing.http.Routes.Access.OPERATOR;
import static dev.billing.http.Routes.Access.READ;
import static dev.billing.http.Routes.Access.WRITE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billing.core.BillingEngine;
import dev.billing.core.DueRun;
import dev.billing.core.ErrorCode;
import dev.billing.core.InvalidRequestException;
import dev.billing.core.accounts.AccountKind;
import dev.billing.core.accounts.BillingProfile;
import dev.billing.core.accounts.ProfileChange;
import dev.billing.core.charges.ChargeLine;
import dev.billing.core.charges.Charges;
import dev.billing.core.charges.Commitment;
import dev.billing.core.charges.Rate;
import dev.billing.core.charges.Statement;
import dev.billing.core.charges.Tier;
import dev.billing.core.usage.IngestResult;
import dev.billing.core.usage.IngestStatus;
import dev.billing.core.usage.Usage;
import dev.billing.core.usage.UsageEvent;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.money.CurrencyUnit;
import javax.money.MonetaryAmount;
import org.javamoney.moneta.Money;

/**
 * The estimated-charges API's routes ({@code /v2/accounts/{ran}/estimated_charges}) and the metering routes
 * beside them: usage ingestion, statements, commitments, the rate card, and running what is due.
 * Metering JSON is camelCase, as in the estimated-charges API; amounts are strings at the currency's scale.
 */
final class ChargesRoutes {

    static final String PREFIX = "/v2";
    static final int DEFAULT_LIMIT = 10;
    private static final int MAX_DECIMALS = 6;
    private static final Set<String> EVENT_FIELDS = Set.of("eventId", "offeringCode", "chargeType", "quantity", "timestamp");
    private static final Set<String> TIER_FIELDS = Set.of("upTo", "rate");

    private final BillingEngine engine;
    private final Views views;
    private final EstimatedChargesJson estimates;

    ChargesRoutes(BillingEngine engine, Views views) {
        this.engine = engine;
        this.views = views;
        this.estimates = new EstimatedChargesJson(views);
    }

    void register(Routes routes) {
        routes.get(PREFIX + "/accounts/{ran}/estimated_charges", READ, this::estimatedCharges)
                // the estimated-charges API's own links spell it with a hyphen
                .get(PREFIX + "/accounts/{ran}/estimated-charges", READ, this::estimatedCharges)
                .post(PREFIX + "/accounts/{ran}/usage", WRITE, this::ingest)
                .get(PREFIX + "/accounts/{ran}/statements", READ, this::statements)
                .get(PREFIX + "/accounts/{ran}/commitments", READ, this::commitments)
                .post(PREFIX + "/accounts/{ran}/commitments", ADMIN, this::defineCommitment)
                .get(PREFIX + "/accounts/{ran}/profile", READ, this::profile)
                .post(PREFIX + "/accounts/{ran}/profile", ADMIN, this::defineProfile)
                .get(PREFIX + "/rates", READ, this::rates)
                .post(PREFIX + "/rates", OPERATOR, this::defineRate)
                .post(PREFIX + "/due", OPERATOR, this::runDue);
    }

    // ------------------------------------------------------------------ reads

    private HttpResponse estimatedCharges(Call call) {
        Call.Query q = call.query("marker", "limit", "offeringCode", "chargeType");
        String ns = call.namespace(call.param("ran"));
        int marker = q.integer("marker", 0, 0, Integer.MAX_VALUE - Charges.MAX_PAGE);
        int limit = q.integer("limit", DEFAULT_LIMIT, 1, Charges.MAX_PAGE);
        String offeringCode = q.optional("offeringCode");
        String chargeType = q.optional("chargeType");
        String target = call.request().target();
        String path = target.indexOf('?') < 0 ? target : target.substring(0, target.indexOf('?'));
        return Call.ok(estimates.write(engine.charges().estimatedCharges(ns, offeringCode, chargeType, marker, limit), path,
                offeringCode, chargeType));
    }

    private HttpResponse statements(Call call) {
        call.query();
        String ns = call.namespace(call.param("ran"));
        ArrayNode a = Json.array();
        for (Statement st : engine.charges().statements(ns)) {
            a.add(statement(st));
        }
        ObjectNode body = Json.object();
        body.set("statements", a);
        return Call.ok(body);
    }

    private HttpResponse commitments(Call call) {
        call.query();
        String ns = call.namespace(call.param("ran"));
        ArrayNode a = Json.array();
        engine.charges().commitments(ns).forEach(c -> a.add(commitment(c)));
        ObjectNode body = Json.object();
        body.set("commitments", a);
        return Call.ok(body);
    }

    private HttpResponse profile(Call call) {
        call.query();
        String ns = call.namespace(call.param("ran"));
        return Call.ok(profile(engine.accounts().billingProfile(ns)));
    }

    /**
     * Sets an account's kind ({@code cloud} / {@code dedicated}), parent ({@code null} for a root), and
     * billing cycle ({@code billingCycle} as an ISO-8601 period, {@code timeZone} as a zone id; either
     * alone keeps the other), from the next period on.
     */
    private HttpResponse defineProfile(Call call) {
        Json.Body body = call.body("kind", "parent", "billingCycle", "timeZone");
        String ns = call.namespace(call.param("ran"));
        String kind = body.optionalText("kind");
        AccountKind k = null;
        if (kind != null) {
            k = switch (kind) {
                case "cloud" -> AccountKind.CLOUD;
                case "dedicated" -> AccountKind.DEDICATED;
                default -> throw HttpError.invalid("kind", "must be cloud or dedicated, was " + kind);
            };
        }
        boolean parentGiven = body.hasField("parent");
        String parent = body.optionalText("parent");
        if (parent != null) {
            call.namespace(parent);
        }
        String cycleText = body.optionalText("billingCycle");
        String zoneText = body.optionalText("timeZone");
        Period cycle = null;
        ZoneId zone = null;
        if (cycleText != null) {
            try {
                cycle = Period.parse(cycleText);
            } catch (DateTimeParseException e) {
                throw HttpError.invalid("billingCycle", "is not an ISO-8601 period such as P1M: " + cycleText);
            }
        }
        if (zoneText != null) {
            try {
                zone = ZoneId.of(zoneText);
            } catch (DateTimeException e) {
                throw HttpError.invalid("timeZone", "is not a time zone id such as Asia/Shanghai: " + zoneText);
            }
        }
        ProfileChange change = ProfileChange.none().withCycle(cycle, zone);
        if (parentGiven) {
            change = change.withParent(parent);
        }
        if (k != null) {
            change = change.withKind(k);
        }
        ProfileChange all = change;
        return call.remembered(() -> Call.ok(profile(engine.accounts().changeProfile(ns, all))));
    }

    private ObjectNode profile(BillingProfile p) {
        ObjectNode n = Json.object();
        n.put("namespace", p.namespace());
        if (p.parent() != null) {
            n.put("parent", p.parent());
        } else {
            n.putNull("parent");
        }
        n.put("kind", p.kind().name().toLowerCase(Locale.ROOT));
        n.put("currentBillingPeriodStartDate", views.time(p.openPeriod().start()));
        n.put("currentBillingPeriodEndDate", views.time(p.openPeriod().end()));
        n.put("billingCycle", p.cycle().toString());
        n.put("timeZone", p.zone().getId());
        if (p.nextCycle() != null) {
            n.put("nextBillingCycle", p.nextCycle().toString());
            n.put("nextTimeZone", p.nextZone().getId());
        }
        return n;
    }

    private HttpResponse rates(Call call) {
        call.query();
        ArrayNode a = Json.array();
        engine.charges().rates().forEach(r -> a.add(rate(r)));
        ObjectNode body = Json.object();
        body.set("rates", a);
        return Call.ok(body);
    }

    // ------------------------------------------------------------------ writes

    /**
     * A batch of usage events. Each is accepted, a duplicate, or rejected with a reason; an event
     * that is not even well-formed JSON for an event is rejected on its own and keeps no other out.
     */
    private HttpResponse ingest(Call call) {
        Json.Body body = call.body("usage");
        String ns = call.namespace(call.param("ran"));
        List<JsonNode> elements = body.array("usage", Usage.MAX_BATCH);
        return call.remembered(() -> ingest(ns, elements));
    }

    private HttpResponse ingest(String ns, List<JsonNode> elements) {
        IngestResult[] results = new IngestResult[elements.size()];
        List<UsageEvent> events = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < elements.size(); i++) {
            String eventId = elements.get(i).isObject() && elements.get(i).path("eventId").isTextual()
                    ? elements.get(i).get("eventId").textValue() : null;
            try {
                events.add(event(ns, Json.Body.element("usage", i, elements.get(i), EVENT_FIELDS)));
                at.add(i);
            } catch (HttpError e) {
                results[i] = new IngestResult(eventId, IngestStatus.REJECTED, ErrorCode.INVALID_REQUEST, null,
                        e.getMessage().startsWith("usage[") ? e.getMessage() : "usage[" + i + "]." + e.getMessage());
            }
        }
        List<IngestResult> ingested = engine.usage().ingestBatch(events);
        for (int k = 0; k < at.size(); k++) {
            results[at.get(k)] = ingested.get(k);
        }
        ArrayNode a = Json.array();
        int accepted = 0;
        int duplicates = 0;
        for (IngestResult r : results) {
            ObjectNode n = Json.object();
            if (r.eventId() != null) {
                n.put("eventId", r.eventId());
            } else {
                n.putNull("eventId");
            }
            n.put("status", r.status().name().toLowerCase(Locale.ROOT));
            if (r.status() == IngestStatus.REJECTED) {
                n.put("code", r.code().code());
                n.put("reason", WireNames.message(r.field(), r.reason(), true));
            }
            accepted += r.status() == IngestStatus.ACCEPTED ? 1 : 0;
            duplicates += r.status() == IngestStatus.DUPLICATE ? 1 : 0;
            a.add(n);
        }
        ObjectNode out = Json.object();
        out.put("accepted", accepted);
        out.put("duplicates", duplicates);
        out.put("rejected", results.length - accepted - duplicates);
        out.set("results", a);
        return Call.ok(out);
    }

    private static UsageEvent event(String namespace, Json.Body e) {
        String eventId = e.text("eventId");
        String offeringCode = e.text("offeringCode");
        String chargeType = e.text("chargeType");
        BigDecimal quantity = e.exactDecimal("quantity", MAX_DECIMALS);
        Instant timestamp = instant("timestamp", e.text("timestamp"));
        return new UsageEvent(eventId, namespace, offeringCode, chargeType, quantity, timestamp);
    }

    private HttpResponse defineCommitment(Call call) {
        Json.Body body = call.body("id", "percentOff", "threshold", "endDate");
        String ns = call.namespace(call.param("ran"));
        String id = body.text("id");
        BigDecimal percent = body.exactDecimal("percentOff", 4);
        if (percent.signum() <= 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw HttpError.invalid("percentOff", "must be above 0 and at most 100, was " + percent.toPlainString());
        }
        Instant end = instant("endDate", body.text("endDate"));
        CurrencyUnit currency = engine.accounts().account(ns).currency();
        BigDecimal threshold = body.exactDecimal("threshold", Math.max(0, currency.getDefaultFractionDigits()));
        if (threshold.signum() < 0) {
            throw HttpError.invalid("threshold", "must not be negative, was " + threshold.toPlainString());
        }
        return call.remembered(() -> Call.ok(commitment(engine.charges().defineCommitment(ns, new Commitment(id, percent,
                Money.of(threshold, currency), end)))));
    }

    private HttpResponse defineRate(Call call) {
        Json.Body body = call.body("offeringCode", "chargeType", "unitOfMeasure", "currency", "rate", "includedQuantity",
                "tiers", "effectiveFrom");
        String offeringCode = body.text("offeringCode");
        String chargeType = body.text("chargeType");
        String unit = body.text("unitOfMeasure");
        CurrencyUnit currency = PaymentRoutes.currency(body.text("currency"));
        BigDecimal flat = body.optionalExactDecimal("rate", MAX_DECIMALS);
        BigDecimal included = body.optionalExactDecimal("includedQuantity", MAX_DECIMALS);
        List<Tier> tiers = new ArrayList<>();
        if (body.has("tiers")) {
            List<JsonNode> elements = body.array("tiers", 100);
            for (int i = 0; i < elements.size(); i++) {
                Json.Body t = Json.Body.element("tiers", i, elements.get(i), TIER_FIELDS);
                tiers.add(tier(i, t.optionalExactDecimal("upTo", MAX_DECIMALS), t.exactDecimal("rate", MAX_DECIMALS)));
            }
        }
        if ((flat == null) == tiers.isEmpty()) {
            throw HttpError.invalid("rate", "give either rate (a flat unit rate) or tiers, not both");
        }
        if (flat != null) {
            tiers.add(tier(0, null, flat));
        }
        String from = body.text("effectiveFrom");
        LocalDate effectiveFrom;
        try {
            effectiveFrom = LocalDate.parse(from);
        } catch (DateTimeParseException e) {
            throw HttpError.invalid("effectiveFrom", "must be a date such as 2016-10-16, was " + from);
        }
        Rate r;
        try {
            r = new Rate(offeringCode, chargeType, unit, currency, included == null ? BigDecimal.ZERO : included, tiers,
                    effectiveFrom);
        } catch (IllegalArgumentException e) {
            throw HttpError.invalid(e.getMessage().startsWith("includedQuantity") ? "includedQuantity" : "tiers",
                    e.getMessage());
        }
        Rate rate = r;
        boolean flatRate = flat != null;
        return call.remembered(() -> {
            try {
                return Call.ok(rate(engine.charges().defineRate(rate)));
            } catch (InvalidRequestException e) {
                // a flat rate is the engine's tier 0, but the request named it "rate"
                if (flatRate && "rate.tiers[0].unitRate".equals(e.field())) {
                    throw HttpError.invalid("rate", e.reason());
                }
                throw e;
            }
        });
    }

    private static Tier tier(int index, BigDecimal upTo, BigDecimal rate) {
        try {
            return new Tier(upTo, rate);
        } catch (IllegalArgumentException e) {
            throw HttpError.invalid("tiers[" + index + "]", e.getMessage());
        }
    }

    private HttpResponse runDue(Call call) {
        call.query();
        call.noBody();
        return call.remembered(this::runDue);
    }

    private HttpResponse runDue() {
        DueRun run = engine.runDue();
        ObjectNode n = Json.object();
        n.put("at", views.time(run.at()));
        n.put("statements", run.statements());
        n.put("arrears", run.arrears());
        n.put("renewals", run.renewals());
        n.put("expired", run.expired());
        ArrayNode failures = n.putArray("failures");
        run.failures().forEach(failures::add);
        return Call.ok(n);
    }

    // ------------------------------------------------------------------ views

    private ObjectNode statement(Statement st) {
        ObjectNode n = Json.object();
        n.put("id", st.id());
        n.put("currency", st.currency().getCurrencyCode());
        n.put("billingPeriodStartDate", views.time(st.period().start()));
        n.put("billingPeriodEndDate", views.time(st.period().end()));
        EstimatedChargesJson.totals(n, st.totals());
        if (st.transactionId() != null) {
            n.put("transId", st.transactionId());
        }
        n.put("closedAt", views.time(st.closedAt()));
        ArrayNode lines = n.putArray("charge");
        for (ChargeLine l : st.lines()) {
            lines.add(estimates.line(l));
        }
        return n;
    }

    private ObjectNode commitment(Commitment c) {
        ObjectNode n = Json.object();
        n.put("id", c.id());
        n.put("percentOff", c.percentOff().toPlainString());
        n.put("threshold", amount(c.threshold()));
        n.put("currency", c.threshold().getCurrency().getCurrencyCode());
        n.put("endDate", views.time(c.endDate()));
        n.put("chargeDescription", c.description());
        return n;
    }

    private static ObjectNode rate(Rate r) {
        ObjectNode n = Json.object();
        n.put("offeringCode", r.offeringCode());
        n.put("chargeType", r.chargeType());
        n.put("unitOfMeasure", r.unitOfMeasure());
        n.put("currency", r.currency().getCurrencyCode());
        n.put("includedQuantity", r.includedQuantity().toPlainString());
        n.put("effectiveFrom", r.effectiveFrom().toString());
        ArrayNode tiers = n.putArray("tiers");
        for (Tier t : r.tiers()) {
            ObjectNode tn = tiers.addObject();
            if (t.upTo() != null) {
                tn.put("upTo", t.upTo().toPlainString());
            }
            tn.put("rate", EstimatedChargesJson.decimal(t.unitRate()));
        }
        return n;
    }

    private static String amount(MonetaryAmount a) {
        return Json.number(a).toPlainString();
    }

    /** An ISO-8601 instant with an offset, such as {@code 2016-10-16T21:32:52+08:00} or {@code ...Z}. */
    static Instant instant(String field, String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw HttpError.invalid(field, "must be an ISO-8601 time with an offset, such as 2016-10-16T21:32:52+08:00;"
                    + " was " + text);
        }
    }
}
