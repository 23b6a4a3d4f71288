package dev.billing.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billing.core.BillingEngine;
import dev.billing.core.BillingException;
import dev.billing.core.BillingStorageException;
import dev.billing.core.ConflictException;
import dev.billing.core.ErrorCode;
import dev.billing.core.InsufficientFundsException;
import dev.billing.core.InvalidRequestException;
import dev.billing.core.NotFoundException;
import dev.billing.spi.StorageException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import javax.money.CurrencyUnit;

/**
 * The v1 payment API and the estimated-charges API over a {@link BillingEngine}, independent of any server: the host
 * authenticates a request, calls {@link #handle(HttpRequest)} and writes the {@link HttpResponse} back.
 *
 * <p>Routes (all JSON, UTF-8): {@code GET /payment/v1/account|market|regions|balance|amounts|amount/{id}},
 * {@code POST /payment/v1/checkout|recharge|refund}, catalog administration under
 * {@code POST /payment/v1/admin/...}, and the estimated-charges API's {@code GET /v2/accounts/{ran}/estimated_charges}
 * with the metering routes under {@code /v2} (usage, statements, commitments, profile, rates, due). Statuses: 200 success; 400 malformed request (the error names
 * the field); 401 no caller; 402 insufficient funds; 403 role or namespace not the caller's; 404 unknown
 * route, account, plan, region or transaction; 405 wrong method (with {@code Allow}); 406 {@code Accept}
 * excludes JSON; 409 conflict (idempotency key reused for another request, refunded twice, account not
 * active); 413 body over the limit; 415 body not {@code application/json}; 500 unexpected (with an error
 * id, logged); 503 storage failure. Every error body is
 * {@code {"error":{"code":"...","message":"...","field":"..."}}}.
 *
 * <p>Money-moving POSTs (checkout, recharge, refund) require an {@value #IDEMPOTENCY_KEY} header, passed
 * to the engine as the idempotency key: a retry with the same key and body returns the same response.
 * Every other POST takes an optional key: its first successful response is remembered in the {@link ResponseStore}
 * and replayed to a retry by the same caller with the same key and request (their effects are
 * idempotent by nature), once the retry has passed the role and namespace checks.
 *
 * <p>Thread-safe: one handler serves all threads.
 */
public final class BillingHttpHandler {

    /** The header that carries a POST's idempotency key. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /**
     * The default limit of a request body, 4 MiB: a usage batch of {@value dev.billing.core.usage.Usage#MAX_BATCH}
     * events fits in it, even with every field at its longest (ASCII).
     */
    public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

    private static final System.Logger LOG = System.getLogger(BillingHttpHandler.class.getName());

    private final BillingEngine engine;
    private final ZoneId zone;
    private final CurrencyUnit defaultCurrency;
    private final int maxBodyBytes;
    private final ResponseStore responses;
    private final Routes routes = new Routes();

    private BillingHttpHandler(Builder b) {
        this.engine = b.engine;
        this.zone = b.zone != null ? b.zone : b.engine.zone();
        this.defaultCurrency = b.defaultCurrency;
        this.maxBodyBytes = b.maxBodyBytes > 0 ? b.maxBodyBytes : DEFAULT_MAX_BODY_BYTES;
        this.responses = b.responses != null ? b.responses : ResponseStore.inMemory();
        Views views = new Views(zone);
        new PaymentRoutes(engine, views, defaultCurrency).register(routes);
        new ChargesRoutes(engine, views).register(routes);
        new EventRoutes(engine, views).register(routes);
        new ProviderPaymentRoutes(engine, views).register(routes);
        new CouponRoutes(engine, views).register(routes);
        new SubscriptionRoutes(engine, views).register(routes);
        new PlanRoutes(engine, views).register(routes);
        new AccountSettingsRoutes(engine).register(routes);
    }

    /**
     * @param engine the engine every request runs on
     * @return a builder with the defaults: the engine's zone, no default currency, 4 MiB bodies
     * @throws NullPointerException when {@code engine} is null
     */
    public static Builder builder(BillingEngine engine) {
        return new Builder(Objects.requireNonNull(engine, "engine"));
    }

    /** @return the largest request body accepted, in bytes; a host may stop reading one byte past it */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    Routes routes() {
        return routes;
    }

    /** @return the zone in which times are written */
    public ZoneId zone() {
        return zone;
    }

    /**
     * Answers one request. Never throws for a request's content: every refusal is an error response,
     * and an unexpected failure is a 500 whose error id is logged with the exception. {@code HEAD}
     * is answered as {@code GET} without a body: the same status and headers, plus the
     * {@code Content-Length} the {@code GET}'s body has, and an empty body (a host sends that header and
     * no body).
     *
     * @param request the request, with the caller the host authenticated
     * @return the response
     * @throws NullPointerException when {@code request} is null
     */
    public HttpResponse handle(HttpRequest request) {
        Objects.requireNonNull(request, "request");
        HttpResponse response = answer(request);
        if (!request.method().equals("HEAD")) {
            return response;
        }
        // HEAD: the status and headers GET would have, with its body's length, and no body
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        headers.put("Content-Length", Integer.toString(response.body().length));
        return new HttpResponse(response.status(), headers, new byte[0]);
    }

    private HttpResponse answer(HttpRequest request) {
        try {
            return dispatch(request);
        } catch (HttpError e) {
            return error(e.status(), e.code(), e.getMessage(), e.field(), e.headers());
        } catch (InvalidRequestException e) {
            boolean v2 = v2(request);
            return error(400, e.code().code(), WireNames.message(e.field(), e.reason(), v2), WireNames.of(e.field(), v2),
                    Map.of());
        } catch (NotFoundException e) {
            boolean v2 = v2(request);
            return error(404, e.code().code(), WireNames.message(e.field(), e.reason(), v2), WireNames.of(e.field(), v2),
                    Map.of());
        } catch (InsufficientFundsException e) {
            return error(402, e.code().code(), e.getMessage(), null, Map.of());
        } catch (ConflictException e) {
            // only the key conflict names a field (the header), as the handler's own does
            String field = e.code() == ErrorCode.IDEMPOTENCY_CONFLICT ? IDEMPOTENCY_KEY : null;
            return error(409, e.code().code(), WireNames.message(e.field(), e.reason(), v2(request)), field, Map.of());
        } catch (BillingStorageException | StorageException e) {
            String id = UUID.randomUUID().toString();
            LOG.log(Level.ERROR, "storage failure, error id " + id + ": " + request.method() + " " + path(request), e);
            return internal(503, ErrorCode.STORAGE_FAILURE.code(), "the storage failed; retry later (error id " + id + ")", id);
        } catch (BillingException e) {
            return error(400, e.code().code(), WireNames.message(e.field(), e.reason(), v2(request)), null, Map.of());
        } catch (RuntimeException e) {
            String id = UUID.randomUUID().toString();
            LOG.log(Level.ERROR, "unexpected failure, error id " + id + ": " + request.method() + " " + path(request), e);
            return internal(500, "internal_error", "unexpected error (error id " + id + ")", id);
        }
    }

    /** @return whether the request is on a {@code /v2} route, whose field names are camelCase */
    private static boolean v2(HttpRequest request) {
        return request.target().startsWith(ChargesRoutes.PREFIX + "/");
    }

    private HttpResponse dispatch(HttpRequest request) {
        if (request.caller() == null) {
            throw new HttpError(401, "unauthorized", null, "the request is not authenticated", Map.of());
        }
        String target = request.target();
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String rawQuery = q < 0 ? null : target.substring(q + 1);
        if (!path.startsWith("/")) {
            throw new HttpError(404, "not_found", null, "no route for " + request.method() + " " + path, Map.of());
        }
        List<String> segments = new ArrayList<>();
        for (String s : path.substring(1).split("/", -1)) {
            segments.add(Call.decode(s, false, "path"));
        }
        Routes.Match match = routes.match(request.method(), segments);
        if (!MediaTypes.acceptsJson(request.headers("Accept"))) {
            throw new HttpError(406, "not_acceptable", null, "this API answers only application/json", Map.of());
        }
        if (!match.route().access().allows(request.caller())) {
            throw new HttpError(403, "forbidden", null,
                    match.route().access().refusal(request.caller(), request.method() + " " + path), Map.of());
        }
        if (request.method().equals("POST")) {
            // a POST without a body (POST /v2/due) has no media type to check
            if (request.bodyLength() > 0 && !MediaTypes.isJson(request.header("Content-Type"))) {
                throw new HttpError(415, "unsupported_media_type", null,
                        "the body must be application/json (charset utf-8), was " + request.header("Content-Type"),
                        Map.of());
            }
            if (request.bodyLength() > maxBodyBytes) {
                throw new HttpError(413, "payload_too_large", "body", "body: is larger than " + maxBodyBytes + " bytes",
                        Map.of());
            }
            // a POST takes everything in its body: any query parameter is unknown (400, naming it)
            new Call.Query(Call.parseQuery(rawQuery), Set.of());
        }
        boolean remembering = request.method().equals("POST") && !match.route().engineKeyed();
        Call.Remember remember = null;
        if (remembering) {
            List<String> keys = request.headers(IDEMPOTENCY_KEY);
            // scoped by the decoded path: /v2/accounts/r%61n/usage is /v2/accounts/ran/usage
            remember = keys.isEmpty() ? Supplier::get
                    : rememberUnder(request, "/" + String.join("/", segments), key(keys));
        }
        Call call = new Call(request, match.params(), rawQuery, remember);
        HttpResponse response = match.route().action().handle(call);
        if (remembering && !call.rememberedUsed()) {
            throw new IllegalStateException(request.method() + " " + match.route().pattern()
                    + " answered without Call.remembered: its response would not be replayed");
        }
        return response;
    }

    /** The one {@code Idempotency-Key} of a request: 1 to 128 characters, no control characters. */
    private static String key(List<String> keys) {
        if (keys.size() > 1) {
            throw HttpError.invalid(IDEMPOTENCY_KEY, "header must be sent once");
        }
        String key = keys.get(0);
        if (key.isBlank() || key.length() > 128 || key.chars().anyMatch(Character::isISOControl)) {
            throw HttpError.invalid(IDEMPOTENCY_KEY, "must be 1 to 128 characters without control characters");
        }
        return key;
    }

    /**
     * Remembers the answer of a POST whose effect is idempotent by nature (usage by event id,
     * definitions) under its {@code Idempotency-Key}. The route calls it through
     * {@link Call#remembered} once it has authorized the request (role and every namespace it
     * touches) and checked the body, so a remembered response is never handed to a caller who may
     * not make the request. The first successful response is remembered in the {@link ResponseStore}, and a retry
     * with the same key and the same request gets it again; the same key with another request is a
     * 409. Keys are scoped to the caller (user, roles, namespaces) and the method and path, so
     * different callers, or one caller on two routes or namespaces, never share a key. A crash
     * between the action and remembering its response is harmless: the retry runs the action again,
     * which changes nothing more.
     */
    private Call.Remember rememberUnder(HttpRequest request, String path, String key) {
        String scope = scope(request.caller(), request.method(), path);
        String fingerprint = fingerprint(request, path);
        return action -> {
            Optional<RememberedResponse> prior = responses.find(scope, key);
            if (prior.isPresent()) {
                return replay(prior.get(), fingerprint, key);
            }
            HttpResponse response = action.get();
            if (response.status() / 100 == 2) {
                RememberedResponse record = new RememberedResponse(scope, key, fingerprint, response.status(),
                        response.bodyText(), engine.clock().instant());
                if (!responses.insert(record)) {
                    // a concurrent retry remembered its response first: answer as it did
                    return replay(responses.find(scope, key).orElseThrow(), fingerprint, key);
                }
            }
            return response;
        };
    }

    /** {@code http:} and a SHA-256 of who calls (user, roles, namespaces) and where (method, path). */
    static String scope(Caller caller, String method, String path) {
        StringBuilder who = who(caller);
        who.append('\0').append(method).append(' ').append(path);
        return "http:" + sha256(who.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The engine's idempotency key of a money-moving request: {@code h:} and a SHA-256 of who calls and the
     * key the client sent, so that keys are scoped to the caller as remembered responses are.
     */
    static String engineKey(Caller caller, String key) {
        StringBuilder who = who(caller).append('\0').append(key);
        return "h:" + sha256(who.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The user, roles and namespaces of a caller, unambiguously. */
    private static StringBuilder who(Caller caller) {
        StringBuilder who = new StringBuilder(caller.user()).append('\0');
        caller.roles().stream().map(Role::wireName).sorted().forEach(r -> who.append(r).append(','));
        who.append('\0').append(caller.allNamespaces() ? "*" : "");
        caller.namespaces().stream().sorted().forEach(n -> who.append(n).append('\0'));
        return who;
    }

    private static HttpResponse replay(RememberedResponse prior, String fingerprint, String key) {
        if (!prior.fingerprint().equals(fingerprint)) {
            throw new HttpError(409, ErrorCode.IDEMPOTENCY_CONFLICT.code(), IDEMPOTENCY_KEY, IDEMPOTENCY_KEY + ": " + key
                    + " was used for a different request", Map.of());
        }
        try {
            return Call.respond(prior.status(), Json.MAPPER.readTree(prior.body()), Map.of());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalStateException("a remembered response is not JSON", e);
        }
    }

    /** SHA-256 of the method, the decoded {@code path}, the query as sent and the body: what a retry must repeat. */
    private static String fingerprint(HttpRequest request, String path) {
        String target = request.target();
        int q = target.indexOf('?');
        byte[] head = (request.method() + " " + path + (q < 0 ? "" : target.substring(q)) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] body = request.bodyBytes();
        byte[] all = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return sha256(all);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String path(HttpRequest request) {
        String t = request.target();
        int q = t.indexOf('?');
        return q < 0 ? t : t.substring(0, q);
    }

    private static HttpResponse error(int status, String code, String message, String field,
            Map<String, String> headers) {
        ObjectNode e = Json.object();
        e.put("code", code);
        e.put("message", message);
        if (field != null) {
            e.put("field", field);
        }
        ObjectNode body = Json.object();
        body.set("error", e);
        return Call.respond(status, body, headers);
    }

    private static HttpResponse internal(int status, String code, String message, String errorId) {
        ObjectNode e = Json.object();
        e.put("code", code);
        e.put("message", message);
        e.put("error_id", errorId);
        ObjectNode body = Json.object();
        body.set("error", e);
        return Call.respond(status, body, Map.of());
    }

    /**
     * Builds a {@link BillingHttpHandler}. Each setting may be set once. Not thread-safe; the handler
     * it builds is.
     */
    public static final class Builder {

        private final BillingEngine engine;
        private ZoneId zone;
        private CurrencyUnit defaultCurrency;
        private int maxBodyBytes;
        private ResponseStore responses;

        private Builder(BillingEngine engine) {
            this.engine = engine;
        }

        /**
         * @param zone the zone times are written in, such as {@code Asia/Shanghai}
         *     ({@code 2016-09-26T17:27:04+08:00}); default: the engine's zone
         * @return this builder
         * @throws NullPointerException when {@code zone} is null
         * @throws IllegalStateException when the zone was set already
         */
        public Builder zone(ZoneId zone) {
            Objects.requireNonNull(zone, "zone");
            if (this.zone != null) {
                throw new IllegalStateException("zone was set already");
            }
            this.zone = zone;
            return this;
        }

        /**
         * @param currency the currency of a recharge that opens an account and of a plan defined
         *     without a {@code currency} field; default: none, so those requests must name a currency
         * @return this builder
         * @throws NullPointerException when {@code currency} is null
         * @throws IllegalArgumentException when the currency has no minor unit
         * @throws IllegalStateException when the default currency was set already
         */
        public Builder defaultCurrency(CurrencyUnit currency) {
            Objects.requireNonNull(currency, "currency");
            if (currency.getDefaultFractionDigits() < 0) {
                throw new IllegalArgumentException("currency: " + currency + " has no minor unit");
            }
            if (this.defaultCurrency != null) {
                throw new IllegalStateException("defaultCurrency was set already");
            }
            this.defaultCurrency = currency;
            return this;
        }

        /**
         * @param bytes the largest request body accepted (larger ones get 413); default {@value #DEFAULT_MAX_BODY_BYTES}
         * @return this builder
         * @throws IllegalArgumentException when {@code bytes} is not positive
         * @throws IllegalStateException when the limit was set already
         */
        public Builder maxBodyBytes(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxBodyBytes: must be positive, was " + bytes);
            }
            if (this.maxBodyBytes != 0) {
                throw new IllegalStateException("maxBodyBytes was set already");
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        /**
         * @param responses where the answers of retried POSTs are remembered; default: a new
         *     {@link ResponseStore#inMemory()}. A server on a database gives the store in the same
         *     database, so that answers survive a restart and are shared by every process
         * @return this builder
         * @throws NullPointerException when {@code responses} is null
         * @throws IllegalStateException when the store was set already
         */
        public Builder responses(ResponseStore responses) {
            Objects.requireNonNull(responses, "responses");
            if (this.responses != null) {
                throw new IllegalStateException("responses was set already");
            }
            this.responses = responses;
            return this;
        }

        /** @return a new handler with these settings */
        public BillingHttpHandler build() {
            return new BillingHttpHandler(this);
        }
    }
}
