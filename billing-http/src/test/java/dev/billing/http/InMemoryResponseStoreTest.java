package dev.billing.http;

/** The response store contract on {@link ResponseStore#inMemory()}. */
class InMemoryResponseStoreTest extends ResponseStoreContract {

    @Override
    protected ResponseStore newStore() {
        return ResponseStore.inMemory();
    }
}
