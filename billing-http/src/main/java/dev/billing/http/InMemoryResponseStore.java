package dev.billing.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Remembered answers in a map. Thread-safe. */
final class InMemoryResponseStore implements ResponseStore {

    private final Map<List<String>, RememberedResponse> responses = new ConcurrentHashMap<>();

    @Override
    public Optional<RememberedResponse> find(String scope, String key) {
        return Optional.ofNullable(responses.get(List.of(scope, key)));
    }

    @Override
    public boolean insert(RememberedResponse response) {
        return responses.putIfAbsent(List.of(response.scope(), response.key()), response) == null;
    }
}
