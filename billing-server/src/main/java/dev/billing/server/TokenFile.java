package dev.billing.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.billing.core.InvalidRequestException;
import dev.billing.core.internal.Checks;
import dev.billing.http.Caller;
import dev.billing.http.Role;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The token file: {@code {"tokens":[{"token":"...","user":"...","roles":["billing:admin"],
 * "namespaces":["chaizs"]}]}}, or {@code "all_namespaces": true} instead of {@code namespaces} for
 * operators. Every field is checked; an unknown role or field, or a token listed twice, is an error.
 */
final class TokenFile {

    private TokenFile() {
    }

    static Map<String, Caller> parse(JsonNode root) {
        requireFields(root, "token file", Set.of("tokens"));
        JsonNode list = root.get("tokens");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException("token file: \"tokens\" must be an array");
        }
        Map<String, Caller> out = new HashMap<>();
        int i = 0;
        for (JsonNode t : list) {
            String where = "tokens[" + i++ + "]";
            requireFields(t, where, Set.of("token", "user", "roles", "namespaces", "all_namespaces"));
            String token = text(t, "token", where);
            String user = text(t, "user", where);
            Set<Role> roles = new HashSet<>();
            for (JsonNode r : array(t, "roles", where)) {
                roles.add(Role.parse(r.asText()));
            }
            boolean all = t.path("all_namespaces").asBoolean(false);
            Set<String> namespaces = new HashSet<>();
            if (t.has("namespaces")) {
                for (JsonNode n : array(t, "namespaces", where)) {
                    try {
                        // the engine's own rule, so that a token names exactly the accounts requests can reach
                        namespaces.add(Checks.namespace(n.asText()));
                    } catch (InvalidRequestException e) {
                        throw new IllegalArgumentException(where + ": namespace \"" + n.asText() + "\" " + e.reason());
                    }
                }
            }
            if (out.put(token, new Caller(user, roles, namespaces, all)) != null) {
                throw new IllegalArgumentException(where + ": token listed twice");
            }
        }
        return Map.copyOf(out);
    }

    static void requireFields(JsonNode node, String where, Set<String> allowed) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + ": must be a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new IllegalArgumentException(where + ": unknown field \"" + f + "\"");
            }
        }
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" must be a non-empty string");
        }
        return v.textValue();
    }

    private static JsonNode array(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isArray()) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" must be an array of strings");
        }
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new IllegalArgumentException(where + ": \"" + field + "\" must be an array of strings");
            }
        }
        return v;
    }
}
