package dev.billing.jdbc;

import dev.billing.http.RememberedResponse;
import dev.billing.spi.AccountRecord;
import dev.billing.spi.AccountStore;
import dev.billing.spi.CatalogStore;
import dev.billing.spi.CouponStore;
import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.EventStore;
import dev.billing.spi.PaymentStore;
import dev.billing.spi.PlanAndProfile;
import dev.billing.spi.PostingRecord;
import dev.billing.spi.IdempotencyStore;
import dev.billing.spi.LedgerStore;
import dev.billing.spi.ProfileStore;
import dev.billing.spi.RatingStore;
import dev.billing.spi.StatementStore;
import dev.billing.spi.StorageException;
import dev.billing.spi.StorageSession;
import dev.billing.spi.SubscriptionStore;
import dev.billing.spi.TransactionRecord;
import dev.billing.spi.TransientStorageException;
import dev.billing.spi.UsageStore;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * One unit of work, on one JDBI handle inside one transaction: hands out one store per area
 * ({@link JdbiCatalogStore}, {@link JdbiAccountStore}, ...), the same ones for the whole unit of work,
 * and keeps what they share: the handle, the wrappers every statement runs in (which classify SQL
 * errors and spoil the unit of work), the checks of numbers and the conversions of instants.
 *
 * <p>Every statement binds its values; SQL is fixed text. Amounts are bound as {@link BigDecimal} and
 * must fit {@code DECIMAL(19,4)} exactly: more than 4 decimal places or more than 15 integer digits is
 * refused before anything is written (the database would otherwise round). Likewise quantities must fit
 * {@code DECIMAL(28,6)}, unit rates {@code DECIMAL(19,6)} and percentages {@code DECIMAL(9,4)}. Instants are stored as
 * {@code TIMESTAMP(6) WITH TIME ZONE} in UTC, truncated to whole microseconds, so anything with at most
 * microsecond precision reads back equal.
 *
 * <p>Orders documented on the SPI's store interfaces that involve strings are applied in Java
 * ({@link String#compareTo}), independent of the database's collation.
 *
 * <p>Once a statement has failed, the session is spoiled: every later call, through any of its stores,
 * throws again, and {@link JdbiStorage} rolls the unit of work back even when the work swallowed the
 * failure. That is what PostgreSQL does anyway, and it keeps "a unit of work that saw a storage failure
 * committed nothing" true on every database.
 *
 * <p>Not thread-safe: used by the one thread running the unit of work.
 */
final class JdbiSession implements StorageSession {

    /** The scale of every money column. */
    static final int MONEY_SCALE = 4;
    /** The precision of every money column. */
    static final int MONEY_PRECISION = 19;
    /** The scale of every quantity column (usage, included quantities, tier bounds, statement lines). */
    static final int QUANTITY_SCALE = 6;
    /** The precision of every quantity column. */
    static final int QUANTITY_PRECISION = 28;
    /** The scale of every unit-rate column. */
    static final int RATE_SCALE = 6;
    /** The precision of every unit-rate column. */
    static final int RATE_PRECISION = 19;
    /** The scale of a commitment's percentage. */
    static final int PERCENT_SCALE = 4;
    /** The precision of a commitment's percentage. */
    static final int PERCENT_PRECISION = 9;

    private static final String RESPONSE_COLUMNS = "scope, idem_key, fingerprint, status, body, created_at";

    private final Handle handle;
    private final Dialect dialect;
    private final JdbiCatalogStore catalog;
    private final JdbiAccountStore accounts;
    private final JdbiProfileStore profiles;
    private final JdbiLedgerStore ledger;
    private final JdbiSubscriptionStore subscriptions;
    private final JdbiUsageStore usage;
    private final JdbiRatingStore rating;
    private final JdbiStatementStore statements;
    private final JdbiIdempotencyStore idempotency;
    private final JdbiEventStore events;
    private final JdbiPaymentStore payments;
    private final JdbiCouponStore coupons;
    private StorageException failure;
    private boolean wrote;
    private boolean closed;

    JdbiSession(Handle handle, Dialect dialect) {
        this.handle = handle;
        this.dialect = dialect;
        this.catalog = new JdbiCatalogStore(this);
        this.accounts = new JdbiAccountStore(this);
        this.profiles = new JdbiProfileStore(this);
        this.ledger = new JdbiLedgerStore(this);
        this.subscriptions = new JdbiSubscriptionStore(this);
        this.usage = new JdbiUsageStore(this);
        this.rating = new JdbiRatingStore(this);
        this.statements = new JdbiStatementStore(this);
        this.idempotency = new JdbiIdempotencyStore(this);
        this.events = new JdbiEventStore(this);
        this.payments = new JdbiPaymentStore(this);
        this.coupons = new JdbiCouponStore(this);
    }

    @Override
    public CatalogStore catalog() {
        return catalog;
    }

    @Override
    public AccountStore accounts() {
        return accounts;
    }

    @Override
    public ProfileStore profiles() {
        return profiles;
    }

    @Override
    public LedgerStore ledger() {
        return ledger;
    }

    /** One statement ({@link JdbiCatalogStore#findPlanAndProfile}). */
    @Override
    public PlanAndProfile findPlanAndProfile(String planId, String regionId, String namespace) {
        return catalog.findPlanAndProfile(planId, regionId, namespace);
    }

    /**
     * On PostgreSQL one statement ({@link JdbiLedgerStore#applyAndAppend}); on MariaDB, for two postings,
     * one call of a procedure ({@link JdbiLedgerStore#applyAndAppendByProcedure}); elsewhere the two calls.
     */
    @Override
    public Optional<AccountRecord> applyBalanceDeltaAndAppend(String namespace, BigDecimal delta, BigDecimal floor,
            TransactionRecord transaction, List<PostingRecord> postings) {
        if (dialect == Dialect.POSTGRESQL && !postings.isEmpty()) {
            return ledger.applyAndAppend(namespace, delta, floor, transaction, postings);
        }
        if (dialect == Dialect.MARIADB && postings.size() == 2) {
            return ledger.applyAndAppendByProcedure(namespace, delta, floor, transaction, postings);
        }
        return StorageSession.super.applyBalanceDeltaAndAppend(namespace, delta, floor, transaction, postings);
    }

    @Override
    public SubscriptionStore subscriptions() {
        return subscriptions;
    }

    @Override
    public UsageStore usage() {
        return usage;
    }

    @Override
    public RatingStore rating() {
        return rating;
    }

    @Override
    public StatementStore statements() {
        return statements;
    }

    @Override
    public IdempotencyStore idempotency() {
        return idempotency;
    }

    @Override
    public EventStore events() {
        return events;
    }

    @Override
    public PaymentStore payments() {
        return payments;
    }

    @Override
    public CouponStore coupons() {
        return coupons;
    }

    /**
     * @return the unit of work's JDBI handle, for this package's stores (and its tests); use it only
     *     inside {@link #read} or {@link #write}, so that failures are classified and spoil the unit of work
     */
    Handle handle() {
        return handle;
    }

    /** @return the database the unit of work runs on */
    Dialect dialect() {
        return dialect;
    }

    /** @return whether any write statement ran (the unit of work needs a sync in POWER_LOSS mode) */
    boolean wrote() {
        return wrote;
    }

    /** @return the first storage failure of this unit of work, or {@code null} */
    StorageException failure() {
        return failure;
    }

    /** Ends the session: later calls throw {@link IllegalStateException}. */
    void close() {
        closed = true;
    }

    /** A remembered HTTP answer ({@link JdbiResponseStore}); not part of the storage SPI. */
    Optional<RememberedResponse> findResponse(String scope, String key) {
        return read("findResponse", () -> handle.createQuery("SELECT " + RESPONSE_COLUMNS
                        + " FROM http_responses WHERE scope = :scope AND idem_key = :key")
                .bind("scope", scope)
                .bind("key", key)
                .map(JdbiSession::response)
                .findOne());
    }

    /** Remembers an HTTP answer ({@link JdbiResponseStore}); not part of the storage SPI. */
    void insertResponse(RememberedResponse r) {
        write("insertResponse", () -> handle.createUpdate("""
                INSERT INTO http_responses (scope, idem_key, fingerprint, status, body, created_at)
                VALUES (:scope, :key, :fingerprint, :status, :body, :createdAt)""")
                .bind("scope", r.scope())
                .bind("key", r.key())
                .bind("fingerprint", r.fingerprint())
                .bind("status", r.status())
                .bind("body", r.body())
                .bind("createdAt", timestamp(r.createdAt()))
                .execute());
    }

    private static RememberedResponse response(ResultSet rs, StatementContext ctx) throws SQLException {
        return new RememberedResponse(rs.getString("scope"), rs.getString("idem_key"), rs.getString("fingerprint"),
                rs.getInt("status"), rs.getString("body"), instant(rs, ctx, "created_at"));
    }

    /**
     * Runs reading statements.
     *
     * @param what the call, for messages
     * @param op the statements, on {@link #handle()}
     * @return what {@code op} returned
     * @throws IllegalStateException when the unit of work has ended
     * @throws StorageException when the unit of work is spoiled already, or {@code op} failed (then it is)
     */
    <R> R read(String what, Supplier<R> op) {
        return run(what, op);
    }

    /**
     * Statements as plain JDBC on the handle's connection, for the paths every call takes (a recharge's
     * balance change, transaction, postings and key): JDBI's statement objects and binding by name were a
     * third of a recharge's CPU profile on H2, and its batch took a round trip per row on MariaDB.
     */
    @FunctionalInterface
    interface Sql<R> {
        R run(Connection c) throws SQLException;
    }

    /** {@link #write} of plain JDBC statements: their {@link SQLException}s are classified like JDBI's. */
    <R> R writeSql(String what, Sql<R> op) {
        return write(what, () -> jdbc(op));
    }

    /** {@link #read} of plain JDBC statements (a checkout's reads of the catalog and the billing profile). */
    <R> R readSql(String what, Sql<R> op) {
        return read(what, () -> jdbc(op));
    }

    private <R> R jdbc(Sql<R> op) {
        try {
            return op.run(handle.getConnection());
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    /** Like {@link #read}, and records that the unit of work wrote (it then waits for a store or sync). */
    <R> R write(String what, Supplier<R> op) {
        R result = run(what, op);
        wrote = true;
        return result;
    }

    private <R> R run(String what, Supplier<R> op) {
        if (closed) {
            throw new IllegalStateException("the session is used outside its unit of work");
        }
        if (failure != null) {
            throw spoiled(what);
        }
        try {
            return op.get();
        } catch (JdbiException e) {
            failure = SqlErrors.translate(what, e);
            throw failure;
        } catch (StorageException e) {
            failure = e;
            throw e;
        }
    }

    /** @return {@code e}, having spoiled the session with it (the store's own refusals count as failed statements) */
    StorageException spoil(StorageException e) {
        if (failure == null) {
            failure = e;
        }
        return e;
    }

    /** Runs a check of a value before any statement: a refused value spoils the session as a failed statement does. */
    void refuse(Runnable check) {
        try {
            check.run();
        } catch (StorageException e) {
            throw spoil(e);
        }
    }

    private StorageException spoiled(String what) {
        String message = what + " refused: an earlier statement of this unit of work failed: " + failure.getMessage();
        if (failure instanceof DuplicateKeyException) {
            return new DuplicateKeyException(message, failure);
        }
        if (failure instanceof TransientStorageException) {
            return new TransientStorageException(message, failure);
        }
        return new StorageException(message, failure);
    }

    /**
     * @return the exception {@link JdbiStorage} throws instead of committing when the work returned
     *     normally although a statement failed (the work swallowed the failure)
     */
    StorageException swallowedFailure() {
        return spoiled("commit");
    }

    /** @return a sorted copy of {@code rows} */
    static <T> List<T> sorted(List<T> rows, Comparator<? super T> order) {
        List<T> copy = new ArrayList<>(rows);
        copy.sort(order);
        return copy;
    }

    /** Refuses an amount that {@code DECIMAL(19,4)} would not keep exactly. */
    static void checkMoney(String field, BigDecimal amount) {
        checkDecimal(field, amount, MONEY_PRECISION, MONEY_SCALE);
    }

    /** Refuses a quantity that {@code DECIMAL(28,6)} would not keep exactly. */
    static void checkQuantity(String field, BigDecimal quantity) {
        checkDecimal(field, quantity, QUANTITY_PRECISION, QUANTITY_SCALE);
    }

    /**
     * Refuses a number that {@code DECIMAL(precision, scale)} would not keep exactly (the database would
     * round the decimals, or fail on the integer digits).
     *
     * @throws StorageException naming the field and the value
     */
    static void checkDecimal(String field, BigDecimal value, int precision, int scale) {
        BigDecimal exact = value.stripTrailingZeros();
        if (exact.scale() > scale) {
            throw new StorageException(field + " " + value.toPlainString() + " has more than " + scale
                    + " decimal places");
        }
        if (exact.precision() - exact.scale() > precision - scale) {
            throw new StorageException(field + " " + value.toPlainString() + " has more than "
                    + (precision - scale) + " integer digits");
        }
    }

    /**
     * @param instant an instant
     * @return an argument that binds it in UTC, truncated to microseconds, as the handle's {@link Dialect} stores it
     */
    static Argument timestamp(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        return (position, statement, ctx) -> Dialect.of(ctx).bindInstant(statement, position, instant);
    }

    /** @return {@link #timestamp(Instant)}, or a typed SQL NULL for {@code null} */
    static Argument nullableTimestamp(Instant instant) {
        if (instant == null) {
            return (position, statement, ctx) -> Dialect.of(ctx).bindNullInstant(statement, position);
        }
        return timestamp(instant);
    }

    /** @return the instant in a column written by {@link #timestamp(Instant)}, or {@code null} */
    static Instant instant(ResultSet rs, StatementContext ctx, String column) throws SQLException {
        return Dialect.of(ctx).readInstant(rs, column);
    }
}
