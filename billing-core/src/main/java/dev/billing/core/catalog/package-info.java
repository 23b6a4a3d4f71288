/**
 * The catalog ("market"): regions and the plans each region offers. Values only; the engine
 * ({@link dev.billing.core.BillingEngine}) stores and lists them.
 */
package dev.billing.core.catalog;
