package dev.billing.http;

import java.util.Objects;
import java.util.Set;

/**
 * Who sends a request, as the host authenticated it: a user, its roles, and the namespaces it may
 * read or write (or all of them, for operators). Immutable, thread-safe.
 *
 * @param user the user's name, for logs and messages
 * @param roles the user's roles; unknown roles are dropped by the host
 * @param namespaces the namespaces the user may act on; ignored when {@code allNamespaces}
 * @param allNamespaces whether the user may act on every namespace (an operator)
 */
public record Caller(String user, Set<Role> roles, Set<String> namespaces, boolean allNamespaces) {

    /** Rejects nulls and copies the sets. */
    public Caller {
        Objects.requireNonNull(user, "user");
        roles = Set.copyOf(roles);
        namespaces = Set.copyOf(namespaces);
    }

    /**
     * @param user the user's name
     * @param roles its roles
     * @param namespaces the namespaces it may act on
     * @return a caller limited to these namespaces
     */
    public static Caller of(String user, Set<Role> roles, Set<String> namespaces) {
        return new Caller(user, roles, namespaces, false);
    }

    /**
     * @param user the user's name
     * @param roles its roles
     * @return a caller that may act on every namespace
     */
    public static Caller operator(String user, Set<Role> roles) {
        return new Caller(user, roles, Set.of(), true);
    }

    /**
     * @param namespace a namespace
     * @return whether this caller may act on it
     */
    public boolean mayAccess(String namespace) {
        return allNamespaces || namespaces.contains(namespace);
    }
}
