/**
 * Metered usage: the events a host reports ({@link dev.billing.core.usage.UsageEvent}) and what
 * ingestion made of each ({@link dev.billing.core.usage.IngestResult}). Values only; the engine
 * ({@link dev.billing.core.BillingEngine#ingest}) validates and stores them.
 */
package dev.billing.core.usage;
