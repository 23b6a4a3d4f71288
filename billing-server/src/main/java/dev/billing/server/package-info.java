/**
 * A runnable HTTP server for the billing API (the v1 payment API and the estimated-charges API) on
 * Jetty 12, over an H2 file database: {@link dev.billing.server.BillingServer}, with the limits a server
 * exposed to untrusted clients needs (header and body deadlines, idle timeout, connection cap, graceful
 * drain, optional HTTPS).
 * Authentication is by {@code X-Auth-Token}, mapped to callers by a token file ({@code TokenFile}); the
 * catalog is read from a JSON file ({@code CatalogFile}) at every start. The demos live here too: the
 * HTTP demo ({@code BillingServer demo}) and the engine-only {@link dev.billing.server.WalletDemo}.
 * Everything but {@code BillingServer} and {@code WalletDemo} is package-private.
 */
package dev.billing.server;
