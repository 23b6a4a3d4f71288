package dev.billing.core.memory;

import dev.billing.spi.AccountRecord;
import dev.billing.spi.AccountStore;
import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.StorageException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** The in-memory {@link AccountStore} of one unit of work. */
final class MemoryAccounts implements AccountStore {

    private final MemorySession session;
    private final MemoryTables t;

    MemoryAccounts(MemorySession session, MemoryTables t) {
        this.session = session;
        this.t = t;
    }

    @Override
    public void insertAccount(AccountRecord account) {
        session.check();
        if (t.accounts.containsKey(account.namespace())) {
            throw session.spoil(new DuplicateKeyException("account " + account.namespace() + " exists", null));
        }
        session.put(t.accounts, account.namespace(), account);
    }

    @Override
    public Optional<AccountRecord> findAccount(String namespace) {
        session.check();
        return Optional.ofNullable(t.accounts.get(namespace));
    }

    @Override
    public void updateAccountState(String namespace, String status, boolean notification) {
        session.check();
        AccountRecord a = existing(namespace);
        session.put(t.accounts, namespace, a.withState(status, notification));
    }

    @Override
    public void setLowBalanceThreshold(String namespace, BigDecimal threshold) {
        session.check();
        AccountRecord a = existing(namespace);
        session.put(t.accounts, namespace, new AccountRecord(a.namespace(), a.currency(), a.status(), a.notification(),
                a.balance(), a.debt(), a.createdAt(), threshold, a.pastDue(), a.notifiedAt()));
    }

    @Override
    public void updateDunning(String namespace, boolean pastDue, Instant notifiedAt) {
        session.check();
        AccountRecord a = existing(namespace);
        session.put(t.accounts, namespace, a.withDunning(pastDue, notifiedAt));
    }

    @Override
    public Optional<AccountRecord> applyBalanceDelta(String namespace, BigDecimal delta, BigDecimal floor) {
        return change(namespace, a -> {
            BigDecimal next = a.balance().add(delta);
            return floor != null && next.compareTo(floor) < 0 || next.compareTo(AccountStore.MAX_BALANCE) >= 0 ? null
                    : a.withMoney(next, a.debt());
        });
    }

    @Override
    public Optional<AccountRecord> applyDebtDelta(String namespace, BigDecimal delta) {
        return change(namespace, a -> {
            BigDecimal next = a.debt().add(delta);
            return next.signum() < 0 || next.compareTo(AccountStore.MAX_BALANCE) >= 0 ? null
                    : a.withMoney(a.balance(), next);
        });
    }

    /** Stores what {@code change} makes of the account; empty, changing nothing, for no account or a refusal ({@code null}). */
    private Optional<AccountRecord> change(String namespace, UnaryOperator<AccountRecord> change) {
        session.check();
        AccountRecord a = t.accounts.get(namespace);
        AccountRecord changed = a == null ? null : change.apply(a);
        if (changed == null) {
            return Optional.empty();
        }
        session.put(t.accounts, namespace, changed);
        return Optional.of(changed);
    }

    private AccountRecord existing(String namespace) {
        AccountRecord a = t.accounts.get(namespace);
        if (a == null) {
            throw session.spoil(new StorageException("no account " + namespace));
        }
        return a;
    }
}
