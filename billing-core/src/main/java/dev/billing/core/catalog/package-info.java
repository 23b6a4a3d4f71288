/**
 * The catalog ("market"): regions and the plans each region offers. {@link dev.billing.core.catalog.Catalog}
 * (reached through {@link dev.billing.core.BillingEngine#catalog()}) defines, retires and lists them;
 * {@link dev.billing.core.catalog.Region}, {@link dev.billing.core.catalog.Plan} and
 * {@link dev.billing.core.catalog.PlanTerm} are its values.
 */
package dev.billing.core.catalog;
