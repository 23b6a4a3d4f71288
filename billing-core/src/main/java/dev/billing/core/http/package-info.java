/**
 * The HTTP API of both seed documents ({@code /payment/v1/...} and {@code /v2/accounts/{ran}/estimated_charges}
 * with the metering routes under {@code /v2}), framework-neutral: a host
 * authenticates the request, hands it to {@link dev.billing.core.http.BillingHttpHandler} as an
 * {@link dev.billing.core.http.HttpRequest} with its {@link dev.billing.core.http.Caller}, and writes
 * the returned {@link dev.billing.core.http.HttpResponse} back. No servlet or web framework is
 * involved; {@code billing-jdbc} ships a server on the JDK's {@code com.sun.net.httpserver}.
 *
 * <p>Everything else in this package (routing, JSON views and parsing, content negotiation) is
 * package-private. This API is new and may still change.
 */
package dev.billing.core.http;
