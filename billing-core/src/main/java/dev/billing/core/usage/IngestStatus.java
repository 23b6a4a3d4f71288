package dev.billing.core.usage;

/** What ingestion did with one usage event. */
public enum IngestStatus {
    /** Stored; it counts in its period's charges. */
    ACCEPTED,
    /** Its event id was ingested before in this namespace, or accepted earlier in the same batch; ignored. */
    DUPLICATE,
    /** Not stored; {@link IngestResult#reason()} says why. */
    REJECTED
}
