package dev.billing.http;

import java.util.Locale;

/**
 * The roles of the estimated-charges API that the HTTP API knows. Reads are open to every role;
 * writes (checkout, recharge, refund) to {@link #IDENTITY_USER_ADMIN}, {@link #ADMIN} and
 * {@link #BILLING_ADMIN}; catalog administration to {@link #ADMIN} and {@link #BILLING_ADMIN} only.
 */
public enum Role {
    /** {@code identity:user-admin}: reads and writes its namespaces. */
    IDENTITY_USER_ADMIN("identity:user-admin"),
    /** {@code admin}: reads, writes and administers the catalog. */
    ADMIN("admin"),
    /** {@code billing:admin}: reads, writes and administers the catalog. */
    BILLING_ADMIN("billing:admin"),
    /** {@code observer}: reads only. */
    OBSERVER("observer"),
    /** {@code billing:observer}: reads only. */
    BILLING_OBSERVER("billing:observer");

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    /** @return the role as the estimated-charges API writes it, such as {@code billing:admin} */
    public String wireName() {
        return wireName;
    }

    /**
     * @param text a role as the estimated-charges API writes it, case-insensitively
     * @return the role
     * @throws IllegalArgumentException when no role has this name
     */
    public static Role parse(String text) {
        if (text != null) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            for (Role r : values()) {
                if (r.wireName.equals(t)) {
                    return r;
                }
            }
        }
        throw new IllegalArgumentException("role: unknown role '" + text
                + "' (expected identity:user-admin, admin, billing:admin, observer or billing:observer)");
    }
}
