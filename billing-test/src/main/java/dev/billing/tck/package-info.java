/**
 * The storage TCK: the contract every {@link dev.billing.spi.BillingStorage} must meet, as JUnit 5 and
 * jqwik suites a storage's own tests extend. Each suite is an abstract class with one method to
 * implement, {@code newStorage()}, answering a new, empty storage that is also a
 * {@link dev.billing.spi.SnapshotSource} (wrap it with {@link dev.billing.tck.SnapshottingStorage} when
 * the storage itself is not one):
 *
 * <ul>
 *   <li>{@link dev.billing.tck.StorageContract}: each SPI area called directly (records stored and read
 *       back, store-enforced uniqueness, the conditional balance update, the orders the engine relies on);
 *   <li>{@link dev.billing.tck.MeteringStorageContract}: usage, running totals, rates, profiles, statements;
 *   <li>{@link dev.billing.tck.WalletContract}, {@link dev.billing.tck.ChargesContract} (estimates, rates,
 *       usage), {@link dev.billing.tck.ClosingContract} (period close, arrears, renewal) and
 *       {@link dev.billing.tck.ProfilesContract} (hierarchies, billing cycles, zones): the engine on the
 *       storage, every refused call proven to change nothing;
 *   <li>{@link dev.billing.tck.LimitsContract}: every sum the engine keeps stays within what the storage
 *       holds, and usage that would pass it is refused alone;
 *   <li>{@link dev.billing.tck.ConcurrencyContract}: racing threads on one storage (one winner per key,
 *       no lost update, exactly-once period closes and renewals);
 *   <li>{@link dev.billing.tck.FaultContract}: a failure injected at every storage call of a unit of work
 *       leaves nothing behind ({@link dev.billing.tck.FaultyStorage});
 *   <li>{@link dev.billing.tck.EventStoreContract} (the outbox: placed after commit, never a gap, cursors,
 *       retention), {@link dev.billing.tck.PaymentStoreContract} and {@link dev.billing.tck.CouponStoreContract}
 *       (settled once by compare-and-set): each store called directly;
 *   <li>{@link dev.billing.tck.EventsContract}, {@link dev.billing.tck.PaymentsContract},
 *       {@link dev.billing.tck.CouponsContract} and {@link dev.billing.tck.SubscriptionLifecycleContract}
 *       (plan versions, switches, cancellations, renewal windows, grace): the engine on the storage;
 *   <li>{@link dev.billing.tck.WalletProperties}, {@link dev.billing.tck.WalletChainProperties},
 *       {@link dev.billing.tck.ChargesProperties}, {@link dev.billing.tck.ChargesChainProperties},
 *       {@link dev.billing.tck.LimitsProperties} and {@link dev.billing.tck.SwitchProperties}: jqwik
 *       properties and stateful chains against a reference model ({@link dev.billing.tck.WalletModel}).
 * </ul>
 *
 * <p>The properties need jqwik ({@code net.jqwik:jqwik}), an optional dependency of this artifact: a plugin
 * that runs them adds it to its test dependencies. Maven Surefire runs only classes named {@code Test*}, {@code *Test}, {@code *Tests} and
 * {@code *TestCase} unless told otherwise: name a plugin's property classes so, or add
 * {@code <include>**}{@code /*Properties.java</include>} to Surefire's includes, else they are silently skipped.
 *
 * <p>What a plugin relies on is the suites' names and their one method, {@code newStorage()}: that is the
 * compatibility kit, and a release that changes it says so. The other public types here
 * ({@link dev.billing.tck.World}, {@link dev.billing.tck.WalletModel}, {@link dev.billing.tck.ForwardingSession},
 * the fixtures the suites share) are public for the suites and a plugin's own extra tests, and may change
 * between releases.
 *
 * <p>The properties call {@code newStorage()} once per try: a storage that is slow to create should hand out
 * one database emptied between tries (the JDBC storage's tests do). The guide is {@code docs/testing.md}.
 */
package dev.billing.tck;
