package dev.billing.core.internal;

import dev.billing.core.InvalidRequestException;
import dev.billing.spi.BillingProfileRecord;
import dev.billing.spi.StorageSession;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Account hierarchies (parents set on billing profiles): walks up and down, and the loop check. Not API. */
public final class Hierarchy {

    /** Hierarchies have at most this many levels. */
    public static final int MAX_DEPTH = 32;

    private Hierarchy() {
    }

    /** @return the parent of {@code namespace}, its parent, and so on */
    public static List<String> ancestors(StorageSession s, String namespace) {
        List<String> up = new ArrayList<>();
        String at = s.profiles().findBillingProfile(namespace).map(BillingProfileRecord::parent).orElse(null);
        while (at != null && up.size() <= MAX_DEPTH) {
            up.add(at);
            at = s.profiles().findBillingProfile(at).map(BillingProfileRecord::parent).orElse(null);
        }
        return up;
    }

    /** @return the profiles of every descendant of {@code root}, breadth first */
    public static List<BillingProfileRecord> descendants(StorageSession s, String root) {
        List<BillingProfileRecord> all = new ArrayList<>();
        Set<String> visited = new HashSet<>(Set.of(root));
        Deque<String> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            for (BillingProfileRecord child : s.profiles().listChildren(todo.pop())) {
                if (visited.add(child.namespace())) {
                    all.add(child);
                    todo.add(child.namespace());
                }
            }
        }
        return all;
    }

    /**
     * @throws InvalidRequestException naming {@code parent} when making {@code parent} the parent of
     *     {@code namespace} makes a loop or a hierarchy deeper than {@value #MAX_DEPTH}
     */
    public static void checkNoCycle(StorageSession s, String namespace, String parent) {
        String at = parent;
        int above = 0;
        for (; at != null; above++) {
            if (at.equals(namespace)) {
                throw InvalidRequestException.of("parent", parent + " is " + namespace + " or one of its descendants");
            }
            if (above > MAX_DEPTH) {
                throw InvalidRequestException.of("parent", "the hierarchy would be deeper than " + MAX_DEPTH);
            }
            // locking each ancestor: two concurrent changes that would close a loop wait for each other
            // (a deadlock the store breaks; the retry sees the other's parent and refuses)
            at = s.profiles().lockBillingProfile(at).map(BillingProfileRecord::parent).orElse(null);
        }
        // the levels the account brings along: itself and its descendants
        List<String> level = List.of(namespace);
        for (int below = 1; !level.isEmpty(); below++) {
            if (above + below > MAX_DEPTH) {
                throw InvalidRequestException.of("parent", "the hierarchy would be deeper than " + MAX_DEPTH);
            }
            List<String> next = new ArrayList<>();
            for (String ns : level) {
                s.profiles().listChildren(ns).forEach(c -> next.add(c.namespace()));
            }
            level = next;
        }
    }
}
