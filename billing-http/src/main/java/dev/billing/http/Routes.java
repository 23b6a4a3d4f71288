package dev.billing.http;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The route table: method, path pattern ({@code {name}} matches one path segment), who may call it,
 * and what it does. Routes are registered once, at construction of the handler; to add a feature's
 * routes, give it a {@code register(Routes)} like {@link PaymentRoutes#register(Routes)}.
 */
final class Routes {

    /**
     * Who may call a route, by role (the estimated-charges API's list) and, for routes that change or
     * run something for every namespace, by namespace scope.
     */
    enum Access {
        /** Reads: every role. */
        READ(EnumSet.allOf(Role.class), false),
        /** Reads of every namespace at once (the whole outbox): every role, on every namespace. */
        READ_EVERY_NAMESPACE(EnumSet.allOf(Role.class), true),
        /** Money-moving writes: identity:user-admin, admin, billing:admin. */
        WRITE(EnumSet.of(Role.IDENTITY_USER_ADMIN, Role.ADMIN, Role.BILLING_ADMIN), false),
        /** Administration of one account (commitments, profile): admin, billing:admin. */
        ADMIN(EnumSet.of(Role.ADMIN, Role.BILLING_ADMIN), false),
        /**
         * What changes or runs something for everyone (the catalog, the rate card, running what is due):
         * an operator, that is admin or billing:admin on every namespace. A namespace-scoped admin is refused.
         */
        OPERATOR(EnumSet.of(Role.ADMIN, Role.BILLING_ADMIN), true);

        private final Set<Role> roles;
        private final boolean everyNamespace;

        Access(Set<Role> roles, boolean everyNamespace) {
            this.roles = roles;
            this.everyNamespace = everyNamespace;
        }

        boolean allows(Caller caller) {
            return caller.roles().stream().anyMatch(roles::contains) && (!everyNamespace || caller.allNamespaces());
        }

        /** @return why {@code caller} may not call {@code route}; only for a caller {@link #allows} refuses */
        String refusal(Caller caller, String route) {
            if (!caller.roles().stream().anyMatch(roles::contains)) {
                return caller.user() + " has no role that may " + route;
            }
            return this == READ_EVERY_NAMESPACE
                    ? caller.user() + " may " + route + " only on every namespace; read one account's instead"
                    : caller.user() + " may " + route + " only as an operator (an admin role on every namespace)";
        }
    }

    /** What a route does; it throws {@link HttpError} or a {@code BillingException} to refuse. */
    @FunctionalInterface
    interface Action {
        HttpResponse handle(Call call);
    }

    /**
     * @param engineKeyed whether the action passes the {@code Idempotency-Key} to the engine itself
     *     (money-moving POSTs); other POSTs with a key get their first response replayed by the handler
     */
    record Route(String method, String pattern, List<String> segments, Access access, Action action,
            boolean engineKeyed) {
    }

    record Match(Route route, Map<String, String> params) {
    }

    private final List<Route> routes = new ArrayList<>();

    Routes get(String pattern, Access access, Action action) {
        return add("GET", pattern, access, action);
    }

    Routes post(String pattern, Access access, Action action) {
        return add("POST", pattern, access, action, false);
    }

    /** A POST whose action hands the {@code Idempotency-Key} to the engine, which replays it atomically. */
    Routes postKeyedByEngine(String pattern, Access access, Action action) {
        return add("POST", pattern, access, action, true);
    }

    Routes add(String method, String pattern, Access access, Action action) {
        return add(method, pattern, access, action, false);
    }

    private Routes add(String method, String pattern, Access access, Action action, boolean engineKeyed) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("pattern must start with /: " + pattern);
        }
        for (Route r : routes) {
            if (r.method().equals(method) && r.pattern().equals(pattern)) {
                throw new IllegalStateException("route registered twice: " + method + " " + pattern);
            }
        }
        routes.add(new Route(method, pattern, List.of(pattern.substring(1).split("/", -1)), access, action,
                engineKeyed));
        return this;
    }

    List<Route> all() {
        return List.copyOf(routes);
    }

    /**
     * @param segments the request path's decoded segments
     * @param method the request's method; {@code HEAD} matches the {@code GET} route
     * @throws HttpError 404 when no route has this path, 405 (with {@code Allow}) when none has this method
     */
    Match match(String method, List<String> segments) {
        // HEAD is GET without the body (RFC 9110, 9.3.2): it runs the GET route
        String lookup = method.equals("HEAD") ? "GET" : method;
        Set<String> allowed = new TreeSet<>();
        for (Route r : routes) {
            Map<String, String> params = bind(r.segments(), segments);
            if (params != null) {
                if (r.method().equals(lookup)) {
                    return new Match(r, params);
                }
                allowed.add(r.method());
                if (r.method().equals("GET")) {
                    allowed.add("HEAD");
                }
            }
        }
        if (allowed.isEmpty()) {
            throw new HttpError(404, "not_found", null, "no route for " + method + " " + "/" + String.join("/", segments),
                    Map.of());
        }
        throw new HttpError(405, "method_not_allowed", null, "method " + method + " is not allowed here; allowed: "
                + String.join(", ", allowed), Map.of("Allow", String.join(", ", allowed)));
    }

    private static Map<String, String> bind(List<String> pattern, List<String> segments) {
        if (pattern.size() != segments.size()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < pattern.size(); i++) {
            String p = pattern.get(i);
            String s = segments.get(i);
            if (p.startsWith("{") && p.endsWith("}")) {
                if (s.isEmpty()) {
                    return null;
                }
                params.put(p.substring(1, p.length() - 1), s);
            } else if (!p.equals(s)) {
                return null;
            }
        }
        return params;
    }
}
