package dev.billing.core.usage;

import dev.billing.core.ErrorCode;
import java.util.Objects;

/**
 * What ingestion did with one usage event. Immutable, thread-safe.
 *
 * @param eventId the event's id as given (may be {@code null} when the event had none)
 * @param status accepted, duplicate or rejected
 * @param code why it was rejected, or {@code null}
 * @param reason why it was rejected, naming the field, or {@code null}
 */
public record IngestResult(String eventId, IngestStatus status, ErrorCode code, String reason) {

    /** Rejects a missing status, and a rejection without a reason. */
    public IngestResult {
        Objects.requireNonNull(status, "status");
        if (status == IngestStatus.REJECTED && (code == null || reason == null)) {
            throw new IllegalArgumentException("a rejection needs a code and a reason");
        }
    }
}
