/**
 * JDBI 3 storage for the billing engine, with H2 as the embedded database it manages itself.
 *
 * <p>The public surface is {@link dev.billing.jdbc.JdbiStorage}, an implementation of
 * {@link dev.billing.spi.BillingStorage}, {@link dev.billing.jdbc.Durability}, which says what an
 * acknowledged unit of work survives, and {@link dev.billing.jdbc.JdbiResponseStore}, the HTTP handler's
 * remembered answers in the same database (it needs {@code billing-http}, an optional dependency of this
 * module that only hosts using the handler add). Everything else (the session and its stores, one per
 * area of the SPI, the schema migrations under {@code dev/billing/jdbc/migrations/}, the error
 * translation and the group commit) is package-private.
 */
package dev.billing.jdbc;
