package dev.billing.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link ResponseStore}, written once for every implementation: extend it and
 * implement {@link #newStore()}.
 */
public abstract class ResponseStoreContract {

    private static final Instant T0 = Instant.parse("2016-09-26T09:27:04Z");

    /** @return a new, empty store */
    protected abstract ResponseStore newStore();

    @Test
    void responses_areKeptByScopeAndKey_andKeysAreUnique() {
        ResponseStore store = newStore();
        String body = "{\"accepted\":1,\"text\":\"铸造一区\"}\n";
        RememberedResponse r = new RememberedResponse("http:ops", "k1", "abc", 200, body, T0);
        assertTrue(store.insert(r));
        assertEquals(Optional.of(r), store.find("http:ops", "k1"));
        assertEquals(Optional.empty(), store.find("http:other", "k1"));
        assertFalse(store.insert(new RememberedResponse("http:ops", "k1", "def", 201, "{}", T0)),
                "a second answer under the same key");
        assertEquals(Optional.of(r), store.find("http:ops", "k1"), "the first answer stays");
        assertTrue(store.insert(new RememberedResponse("http:other", "k1", "def", 201, "{}", T0)));
        assertEquals(201, store.find("http:other", "k1").orElseThrow().status());
    }
}
