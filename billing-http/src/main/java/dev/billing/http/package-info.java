/**
 * The billing HTTP API, framework-neutral: the v1 payment API ({@code /payment/v1/...}) and the
 * estimated-charges API ({@code /v2/accounts/{ran}/estimated_charges}, with the metering routes under
 * {@code /v2}), over a {@link dev.billing.core.BillingEngine}. A host authenticates the request, hands it
 * to {@link dev.billing.http.BillingHttpHandler} as an {@link dev.billing.http.HttpRequest} with its
 * {@link dev.billing.http.Caller}, and writes the returned {@link dev.billing.http.HttpResponse} back.
 * Answers remembered under an {@code Idempotency-Key} are kept by a {@link dev.billing.http.ResponseStore}
 * (in memory, or {@code billing-jdbc}'s {@code JdbiResponseStore} in the storage's database). No servlet
 * or web framework is involved; the JSON is Jackson's. {@code billing-server} runs it on Jetty; this
 * module depends on no server.
 *
 * <p>Everything else in this package (routing, JSON views and parsing, content negotiation) is
 * package-private. This API is new and may still change.
 */
package dev.billing.http;
