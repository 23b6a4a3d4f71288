/**
 * Metered usage: the events a host reports ({@link dev.billing.core.usage.UsageEvent}) and what
 * ingestion made of each ({@link dev.billing.core.usage.IngestResult}).
 * {@link dev.billing.core.usage.Usage} (reached through {@link dev.billing.core.BillingEngine#usage()})
 * validates and stores them, each event id once per namespace.
 */
package dev.billing.core.usage;
