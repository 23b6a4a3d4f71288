package dev.billing.core.usage;

import dev.billing.core.ErrorCode;
import java.util.Objects;

/**
 * What ingestion did with one usage event. Immutable, thread-safe.
 *
 * @param eventId the event's id as given (may be {@code null} when the event had none)
 * @param status accepted, duplicate or rejected
 * @param code why it was rejected, or {@code null}
 * @param field the event's field the rejection is about, such as {@code event.quantity}, or {@code null}
 * @param reason why it was rejected (without the field's name), or {@code null}
 */
public record IngestResult(String eventId, IngestStatus status, ErrorCode code, String field, String reason) {

    /** Rejects a missing status, and a rejection without a reason. */
    public IngestResult {
        Objects.requireNonNull(status, "status");
        if (status == IngestStatus.REJECTED && (code == null || reason == null)) {
            throw new IllegalArgumentException("a rejection needs a code and a reason");
        }
    }

    /** @return the rejection as a message, {@code field: reason} (or the reason alone); {@code null} unless rejected */
    public String message() {
        return reason == null ? null : field == null ? reason : field + ": " + reason;
    }
}
