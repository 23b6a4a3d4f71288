package dev.billing.jdbc;

/**
 * How durable a unit of work of an H2 {@link JdbiStorage} is when
 * {@link JdbiStorage#inTransaction(dev.billing.spi.StorageWork) inTransaction} returns.
 *
 * <p>Background (H2 2.3.232, MVStore): a commit makes the transaction's changes visible in memory;
 * they reach the database file only when the MVStore is stored. With H2's default {@code WRITE_DELAY}
 * of 500 ms a background thread stores at most every 500 ms, and H2 never calls {@code fsync} on an
 * ordinary commit. With {@code WRITE_DELAY=0} each committing thread stores the MVStore itself before
 * its commit returns. The SQL statement {@code CHECKPOINT} stores the MVStore ({@code MVStore.commit()},
 * chunks written with {@code FileChannel.write}); {@code CHECKPOINT SYNC} stores it and then calls
 * {@code FileChannel.force(true)}.
 *
 * <p>Why the storage does not use {@code WRITE_DELAY=0}: under eight threads crediting and debiting one
 * account, H2 2.3.232 then loses balance updates (the ledger has the posting, the balance column has
 * not), in plain JDBC too: {@code scripts/H2WriteDelayRepro.java} lost one in 8 of 150 runs, and none
 * without stores. The durable modes therefore store the database between
 * units of work: every unit of work holds a shared lock while its transaction is open, and a store
 * takes it exclusively, so that no transaction is open while H2 stores; H2's own background store is
 * switched off ({@code WRITE_DELAY} set to {@value JdbiStorage#NO_BACKGROUND_STORE} ms). Stores are
 * grouped over concurrent commits: a committer waits for one store that started after its commit; while
 * a store runs, new committers queue, and the next store serves them all. Read-only units of work do
 * not wait for a store.
 *
 * <p>Every mode shares one caveat of H2: a transaction's changes are visible to other transactions a
 * moment before they are stored, so a concurrent reader may see (and act on) a change that a crash
 * in that moment loses together with its unacknowledged writer.
 *
 * <p>The modes apply to H2 file databases only; {@link JdbiStorage#of(org.jdbi.v3.core.Jdbi)} leaves
 * durability to whoever configured the database. Thread-safe (an enum).
 */
public enum Durability {

    /**
     * H2's own behaviour: {@code WRITE_DELAY} is left alone (500 ms unless the URL says otherwise), so a
     * commit is written to the file up to about half a second later, by H2's background thread, and never
     * synced by the storage. If the process dies, the commits of (up to) the last ~0.5 s are lost, even
     * though {@code inTransaction} returned for them; the database itself stays consistent. H2 then
     * stores while transactions are open (see above), which lost concurrent balance updates in this
     * project's stress tests: for benchmarks and throw-away data only, never for real money.
     */
    H2_DEFAULT,

    /**
     * The default. Every acknowledged unit of work that wrote something has been written to the database
     * file (handed to the operating system by a grouped {@code CHECKPOINT}) before {@code inTransaction}
     * returns, so it survives the process being killed ({@code SIGKILL}, a JVM crash,
     * {@code System.exit}) at any moment after. It is not synced: an operating-system crash or a power
     * loss may still lose the last few seconds of commits (whatever the OS had not yet flushed).
     * Requires an H2 user with admin rights ({@code CHECKPOINT} is an admin command).
     */
    PROCESS_CRASH,

    /**
     * Everything {@link #PROCESS_CRASH} guarantees, and in addition every acknowledged unit of work that
     * wrote something has been synced to the storage device ({@code CHECKPOINT SYNC}, that is
     * {@code fsync}, grouped the same way) before {@code inTransaction} returns, so it survives an
     * operating-system crash or a power loss as far as the device honours {@code fsync}. Requires an H2
     * user with admin rights. If the sync fails after the commit succeeded, {@code inTransaction} throws a
     * {@link dev.billing.spi.StorageException} although the writes are committed (their durability is
     * then unknown).
     */
    POWER_LOSS
}
