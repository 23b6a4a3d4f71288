/**
 * Machinery the engine's areas share: the unit of work with its retries and idempotency, input
 * checks, request fingerprints, billing cycles, billing profiles, account hierarchies, ledger account
 * names and the mapping of stored records the areas have in common.
 *
 * <p><b>Not API.</b> These classes are public only because several packages of {@code billing-core}
 * use them; they are unsupported and may change or disappear in any release without notice.
 */
package dev.billing.core.internal;
