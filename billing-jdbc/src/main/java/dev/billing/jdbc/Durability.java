package dev.billing.jdbc;

/**
 * How durable a unit of work of an H2 {@link JdbiStorage} is when
 * {@link JdbiStorage#inTransaction(dev.billing.spi.StorageWork) inTransaction} returns.
 *
 * <p>Background (H2 2.3.232, MVStore): a commit makes the transaction's changes visible in memory;
 * they reach the database file only when the MVStore is stored. With H2's default {@code WRITE_DELAY}
 * of 500 ms a background thread stores at most every 500 ms (asynchronously, through H2's
 * {@code H2-serialization} and {@code H2-save} executors), and H2 never calls {@code fsync} on an
 * ordinary commit. With {@code WRITE_DELAY=0} the committing thread itself stores the MVStore before
 * the commit returns ({@code TransactionStore.endTransaction} calls {@code MVStore.commit()} when the
 * auto-commit delay is 0), and the chunk is written to the file with {@code FileChannel.write} while the
 * store lock is held, because {@code WRITE_DELAY=0} also shuts H2's writer executors down. The SQL
 * statement {@code CHECKPOINT SYNC} stores the MVStore and then calls {@code FileChannel.force(true)}.
 *
 * <p>Every mode shares one caveat of H2: a transaction's changes are visible to other transactions a
 * moment before they are written, so a concurrent reader may see (and act on) a change that a crash
 * in that moment loses together with its unacknowledged writer.
 *
 * <p>The modes apply to H2 only; {@link JdbiStorage#of(org.jdbi.v3.core.Jdbi)} leaves durability to
 * whoever configured the database. Thread-safe (an enum).
 */
public enum Durability {

    /**
     * H2's own behaviour: {@code WRITE_DELAY} is left alone (500 ms unless the URL says otherwise), so a
     * commit is written to the file up to about half a second later, by a background thread, and never
     * synced by the storage. If the process dies, the commits of (up to) the last ~0.5 s are lost, even
     * though {@code inTransaction} returned for them; the database itself stays consistent. For
     * benchmarks and throw-away data only.
     */
    H2_DEFAULT,

    /**
     * The default. Every acknowledged unit of work has been written to the database file (handed to the
     * operating system with {@code FileChannel.write}) before {@code inTransaction} returns, so it
     * survives the process being killed ({@code SIGKILL}, a JVM crash, {@code System.exit}) at any
     * moment after. It is not synced: an operating-system crash or a power loss may still lose the last
     * few seconds of commits (whatever the OS had not yet flushed).
     *
     * <p>Achieved with {@code WRITE_DELAY=0} in the H2 URL (H2 then stores the MVStore synchronously in
     * every committing transaction, and runs no background writer), checked after start-up in
     * {@code INFORMATION_SCHEMA.SETTINGS}. Requires an H2 user with admin rights. Note that without
     * the background writer H2 does not compact the file while it is open; it compacts it briefly when
     * the database closes.
     */
    PROCESS_CRASH,

    /**
     * Everything {@link #PROCESS_CRASH} guarantees, and in addition every acknowledged unit of work that
     * wrote something has been synced to the storage device ({@code FileChannel.force(true)}, that is
     * {@code fsync}) before {@code inTransaction} returns, so it survives an operating-system crash or
     * a power loss as far as the device honours {@code fsync}.
     *
     * <p>Achieved by running {@code CHECKPOINT SYNC} after the commit, grouped over concurrent commits
     * (group commit): a committer waits for one sync that started after its commit returned; while a
     * sync runs, new committers queue, and the next sync serves them all. Read-only units of work do not
     * sync. Requires an H2 user with admin rights. If the sync fails after the commit succeeded,
     * {@code inTransaction} throws a {@link dev.billing.spi.StorageException} although the writes are
     * committed (their durability is then unknown).
     */
    POWER_LOSS
}
