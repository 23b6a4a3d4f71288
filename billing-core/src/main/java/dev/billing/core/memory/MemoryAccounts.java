package dev.billing.core.memory;

import dev.billing.spi.AccountRecord;
import dev.billing.spi.AccountStore;
import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.StorageException;
import java.math.BigDecimal;
import java.util.Optional;

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
    public Optional<AccountRecord> applyBalanceDelta(String namespace, BigDecimal delta, BigDecimal floor) {
        session.check();
        AccountRecord a = t.accounts.get(namespace);
        if (a == null) {
            return Optional.empty();
        }
        BigDecimal next = a.balance().add(delta);
        if (floor != null && next.compareTo(floor) < 0 || next.compareTo(AccountStore.MAX_BALANCE) >= 0) {
            return Optional.empty();
        }
        AccountRecord changed = new AccountRecord(a.namespace(), a.currency(), a.status(), a.notification(), next,
                a.debt(), a.createdAt());
        session.put(t.accounts, namespace, changed);
        return Optional.of(changed);
    }

    @Override
    public Optional<AccountRecord> applyDebtDelta(String namespace, BigDecimal delta) {
        session.check();
        AccountRecord a = t.accounts.get(namespace);
        if (a == null) {
            return Optional.empty();
        }
        BigDecimal next = a.debt().add(delta);
        if (next.signum() < 0 || next.compareTo(AccountStore.MAX_BALANCE) >= 0) {
            return Optional.empty();
        }
        AccountRecord changed = new AccountRecord(a.namespace(), a.currency(), a.status(), a.notification(),
                a.balance(), next, a.createdAt());
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
