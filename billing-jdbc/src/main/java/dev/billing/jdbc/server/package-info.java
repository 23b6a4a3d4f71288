/**
 * A runnable HTTP server for the billing API on the JDK's {@code com.sun.net.httpserver}, over an H2
 * file database: {@link dev.billing.jdbc.server.BillingServer}. Authentication is by
 * {@code X-Auth-Token}, mapped to callers by a token file; the catalog is read from a JSON file at
 * every start. Everything but {@code BillingServer} is package-private.
 */
package dev.billing.jdbc.server;
