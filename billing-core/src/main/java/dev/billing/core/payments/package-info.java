/**
 * Recharges through a payment provider, in two phases: begun (pending, nothing credited), then
 * confirmed (credited exactly once) or failed, or expired. {@link dev.billing.core.payments.Payments}
 * (reached through {@link dev.billing.core.BillingEngine#payments()}) does it;
 * {@link dev.billing.core.payments.Payment} is its value. The provider itself stays outside the library:
 * the host talks to it and hands its callbacks to the engine.
 */
package dev.billing.core.payments;
