package dev.billing.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billing.core.BillingEngine;
import dev.billing.core.BillingException;
import dev.billing.core.catalog.Plan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The catalog file: {@code {"regions":[...],"plans":[...]}}, each entry the body of
 * {@code POST /payment/v1/admin/regions} or {@code /admin/plans}, applied through the handler (so the
 * file is checked exactly as the API checks requests). A plan that the file lists without a
 * {@code status} keeps the status it has (a plan retired through the API stays retired) and its
 * creation time. Each entry of {@code rates} is the body of {@code POST /v2/rates} (the rate card).
 *
 * <p>The standalone server applies it at every start; a host's tests apply the same file to their
 * engine, so that they bill what production bills:
 *
 * <pre>{@code
 * CatalogFile.apply(Path.of("catalog.json"), engine);
 * }</pre>
 *
 * <p>Applying is idempotent: regions, plans and rates are defined, or defined again with what the file
 * says. Entries are applied in order, each in its own unit of work; the first one refused stops the rest.
 */
public final class CatalogFile {

    private static final Caller LOADER = Caller.operator("catalog-file", Set.of(Role.ADMIN));

    private CatalogFile() {
    }

    /**
     * Reads a catalog file and applies it to an engine, checked as a default handler on that engine checks
     * the admin requests (its zone and default currency, {@link BillingHttpHandler.Builder}).
     *
     * @param file the catalog file, UTF-8 JSON
     * @param engine the engine to define its regions, plans and rates in
     * @return how many regions, plans and rates were applied
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when it is not a catalog, or an entry is refused (its message
     *     names the entry, such as {@code plans[2]}, and the API's answer)
     */
    public static String apply(Path file, BillingEngine engine) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not JSON: " + e.getMessage(), e);
        } catch (NumberFormatException | ArithmeticException e) {
            // numbers are read as BigDecimal; an exponent no BigDecimal holds fails outside Jackson's exceptions
            throw new IllegalArgumentException(file + ": a number is out of range: " + e.getMessage(), e);
        }
        return apply(root, BillingHttpHandler.builder(engine).build(), engine);
    }

    /**
     * Applies a catalog, already read, through a handler.
     *
     * @param root the file's JSON
     * @param handler the handler that checks and applies each entry, as it would the admin requests
     * @param engine the handler's engine
     * @return how many regions, plans and rates were applied, for a log
     * @throws IllegalArgumentException when it is not a catalog, or an entry is refused
     */
    public static String apply(JsonNode root, BillingHttpHandler handler, BillingEngine engine) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("catalog: must be a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!Set.of("regions", "plans", "rates").contains(f)) {
                throw new IllegalArgumentException("catalog: unknown field \"" + f + "\"");
            }
        }
        int regions = 0;
        for (JsonNode region : list(root, "regions")) {
            post(handler, "/payment/v1/admin/regions", region, "regions[" + regions++ + "]");
        }
        int plans = 0;
        for (JsonNode plan : list(root, "plans")) {
            String where = "plans[" + plans++ + "]";
            if (plan.isObject() && !plan.has("status") && plan.path("plan_id").isTextual()) {
                existingStatus(engine, plan.get("plan_id").textValue())
                        .ifPresent(s -> ((ObjectNode) plan).put("status", s));
            }
            post(handler, "/payment/v1/admin/plans", plan, where);
        }
        int rates = 0;
        for (JsonNode rate : list(root, "rates")) {
            post(handler, "/v2/rates", rate, "rates[" + rates++ + "]");
        }
        return regions + " regions, " + plans + " plans, " + rates + " rates";
    }

    private static java.util.Optional<String> existingStatus(BillingEngine engine, String planId) {
        try {
            Plan p = engine.catalog().plan(planId);
            return java.util.Optional.of(p.status().name().toLowerCase(Locale.ROOT));
        } catch (BillingException e) {
            return java.util.Optional.empty();
        }
    }

    private static Iterable<JsonNode> list(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null) {
            return java.util.List.of();
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException("catalog: \"" + field + "\" must be an array");
        }
        return v;
    }

    private static void post(BillingHttpHandler handler, String path, JsonNode entry, String where) {
        byte[] body = Json.bytes(entry);
        HttpResponse r = handler.handle(HttpRequest.of("POST", path, Map.of("Content-Type", "application/json"), body,
                LOADER));
        if (r.status() != 200) {
            throw new IllegalArgumentException("catalog: " + where + ": " + r.bodyText());
        }
    }
}
