package dev.billing.core.memory;

import java.util.Arrays;

/**
 * One namespace's transaction sequence numbers, ascending: the storage hands out sequence numbers in
 * increasing order, so a new one is always appended, and an undone one is always the last. Not
 * thread-safe (used under the storage's lock).
 */
final class SeqList {

    private long[] seqs = new long[4];
    private int size;

    /** Appends {@code seq}, which is larger than every sequence number held. */
    void append(long seq) {
        if (size > 0 && seq <= seqs[size - 1]) {
            throw new IllegalStateException("sequence " + seq + " after " + seqs[size - 1]);
        }
        if (size == seqs.length) {
            seqs = Arrays.copyOf(seqs, size * 2);
        }
        seqs[size++] = seq;
    }

    /** Removes the last sequence number, which must be {@code seq} (an undone append). */
    void removeLast(long seq) {
        if (size == 0 || seqs[size - 1] != seq) {
            throw new IllegalStateException("undoing " + seq + ", which is not the last sequence");
        }
        size--;
    }

    /** @return up to {@code limit} sequence numbers below {@code before}, largest first */
    long[] below(long before, int limit) {
        int i = Arrays.binarySearch(seqs, 0, size, before);
        int end = i >= 0 ? i : -i - 1; // exclusive
        int n = Math.max(0, Math.min(limit, end));
        long[] out = new long[n];
        for (int k = 0; k < n; k++) {
            out[k] = seqs[end - 1 - k];
        }
        return out;
    }
}
