package dev.billing.core.memory;

import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.IdempotencyRecord;
import dev.billing.spi.IdempotencyStore;
import java.util.Optional;

/** The in-memory {@link IdempotencyStore} of one unit of work. */
final class MemoryIdempotency implements IdempotencyStore {

    private final MemorySession session;
    private final MemoryTables t;

    MemoryIdempotency(MemorySession session, MemoryTables t) {
        this.session = session;
        this.t = t;
    }

    @Override
    public Optional<IdempotencyRecord> findIdempotency(String namespace, String key) {
        session.check();
        return Optional.ofNullable(t.idempotency.get(new MemoryTables.IdemKey(namespace, key)));
    }

    @Override
    public void insertIdempotency(IdempotencyRecord record) {
        session.check();
        MemoryTables.IdemKey k = new MemoryTables.IdemKey(record.namespace(), record.key());
        if (t.idempotency.containsKey(k)) {
            throw session.spoil(new DuplicateKeyException("idempotency key " + record.key() + " exists", null));
        }
        session.put(t.idempotency, k, record);
    }
}
