/**
 * The storage SPI of the billing engine.
 *
 * <p>A storage is a {@link dev.billing.spi.BillingStorage}: it runs units of work atomically, each
 * against a {@link dev.billing.spi.StorageSession}, and exchanges plain, immutable records. Amounts are
 * exact {@link java.math.BigDecimal}s beside an ISO-4217 currency code; nothing in this package knows
 * SQL, JDBI or any database. The engine in {@code billing-core} is the only caller.
 *
 * <p>Implementations must be thread-safe, must make every unit of work atomic (all of its writes or
 * none), and must pass the storage TCK: the contract suites of {@code billing-test}, package
 * {@code dev.billing.tck} (see {@code docs/testing.md}).
 */
package dev.billing.spi;
