package dev.billing.server;

import dev.billing.core.subscriptions.SubscriptionPolicy;
import dev.billing.http.BillingHttpHandler;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.money.CurrencyUnit;
import javax.money.Monetary;
import javax.money.UnknownCurrencyException;

/**
 * The server's command line: {@code serve [--option value]...}.
 *
 * @param tls the keystore to serve HTTPS from, or {@code null} for plain HTTP
 * @param database a PostgreSQL or MariaDB database to use instead of the H2 file, or {@code null}
 * @param policy how subscriptions renew (how early), how long an unpaid one stays past due, how often its
 *     account is flagged
 * @param paymentExpiry how long a payment begun through a provider stays pending
 * @param eventRetention how long due runs keep events in the outbox, or {@code null} to keep them
 */
record ServerOptions(Path db, Path catalog, Path tokens, int port, String bind, ZoneId zone, CurrencyUnit currency,
        int maxBodyBytes, int dueEverySeconds, int headerTimeoutSeconds, int bodyTimeoutSeconds,
        int idleTimeoutSeconds, int maxConnections, int drainSeconds, Tls tls, Database database,
        SubscriptionPolicy policy, Duration paymentExpiry, Duration eventRetention) {

    /** The environment variable that holds the keystore's password (never an option: options show in {@code ps}). */
    static final String TLS_PASSWORD_ENV = "BILLING_TLS_PASSWORD";

    static final String USAGE = """
            usage: BillingServer serve [options]   run the HTTP API
                   BillingServer demo [--db PATH] [--serve]
                                                    replay both API documents' requests over HTTP on a fresh database;
                                                    with --serve, then serve data/billing on 127.0.0.1:8080 with
                                                    the sample catalog and tokens
                   BillingServer                    the wallet demo (engine calls, no HTTP)
            options of serve:
              --db PATH          H2 database file, without .mv.db (default data/billing; created on first start)
              --catalog FILE     catalog JSON applied at every start (regions, plans, rates); default: none
              --tokens FILE      X-Auth-Token to caller JSON; default: none (every request is 401)
              --port N           TCP port, 0 for any free one (default 8080)
              --bind ADDRESS     address to listen on (default 127.0.0.1); beyond loopback, serve HTTPS
                                 (--tls-keystore) or put a TLS-terminating proxy in front
              --zone ZONE        time zone of the JSON times, and of the billing cycles of accounts
                                 opened from now on (default UTC); existing accounts keep theirs
              --currency CODE    currency of accounts opened by a recharge without one (default CNY)
              --max-body BYTES   largest request body (default 4194304: a usage batch of 10,000 events)
              --due-every SECS   close ended billing periods and renew subscriptions (runDue) this often;
                                 0 turns it off (default 60)
              --renew-ahead SECS attempt a subscription's renewal this long before its period ends
                                 (default 0: at the end; the reference platform: 604800, 7 days)
              --grace SECS       how long a subscription whose renewal could not be paid stays past due,
                                 retried by every due run, before it expires (default 0; reference 604800)
              --notify-every SECS
                                 flag an account about a failing renewal at most this often (default 86400)
              --immediate-cancellation yes|no
                                 whether a caller may cancel a subscription at once (default yes; no: at
                                 its period end only)
              --prorated-refunds yes|no
                                 whether an immediate cancellation may pay back the unused part of the
                                 period (default yes)
              --payment-expiry SECS
                                 how long a payment begun through a provider stays pending (default 86400)
              --event-retention SECS
                                 due runs delete events older than this that every consumer has handled;
                                 a poller of /v2/events must poll more often (default 0: kept for ever)
              --header-timeout SECS
                                 a request's line and headers must arrive within this time from its first
                                 byte, else the connection is closed (default 10)
              --body-timeout SECS
                                 its body must arrive within this time from the end of its headers, else
                                 408 request_timeout and the connection is closed (default 30)
              --idle-timeout SECS
                                 a connection with nothing to read or write for this long is closed
                                 (default 30)
              --max-connections N
                                 connections served at once; more wait in the kernel's accept queue
                                 (default 512)
              --drain SECS       on SIGTERM, stop accepting and let running requests finish for up to this
                                 long before the database closes (default 10)
              --tls-keystore FILE
                                 serve HTTPS with the key and certificate of this PKCS#12 keystore; its
                                 password is read from the environment variable BILLING_TLS_PASSWORD
              --jdbc-url URL     use this PostgreSQL or MariaDB database instead of the H2 file (--db);
                                 several servers may share it
              --db-user NAME     its user (default: none, or the URL's)
              --db-password-file FILE
                                 a file holding its password (default: none, or the URL's)
              --db-pool-size N   pooled connections to it (default 10)
              --db-timeout SECS  how long a request waits for a pooled connection (default 10)
            """;

    private static final Map<String, String> DEFAULTS = defaultValues();

    private static Map<String, String> defaultValues() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("--db", Path.of("data", "billing").toString());
        d.put("--catalog", null);
        d.put("--tokens", null);
        d.put("--port", "8080");
        d.put("--bind", "127.0.0.1");
        d.put("--zone", "UTC");
        d.put("--currency", "CNY");
        d.put("--max-body", Integer.toString(BillingHttpHandler.DEFAULT_MAX_BODY_BYTES));
        d.put("--due-every", "60");
        d.put("--renew-ahead", "0");
        d.put("--grace", "0");
        d.put("--notify-every", "86400");
        d.put("--immediate-cancellation", "yes");
        d.put("--prorated-refunds", "yes");
        d.put("--payment-expiry", "86400");
        d.put("--event-retention", "0");
        d.put("--header-timeout", "10");
        d.put("--body-timeout", "30");
        d.put("--idle-timeout", "30");
        d.put("--max-connections", "512");
        d.put("--drain", "10");
        d.put("--tls-keystore", null);
        d.put("--jdbc-url", null);
        d.put("--db-user", null);
        d.put("--db-password-file", null);
        d.put("--db-pool-size", "10");
        d.put("--db-timeout", "10");
        return d;
    }

    /** A PKCS#12 keystore and its password; {@link #toString()} never shows the password. */
    record Tls(Path keystore, String password) {
        @Override
        public String toString() {
            return "Tls[keystore=" + keystore + "]";
        }
    }

    /**
     * A database server: its URL, user, the file holding its password, the pool's size and how long a
     * request waits for a connection. {@link #toString()} never shows the URL's query (it may hold a
     * password).
     */
    record Database(String jdbcUrl, String user, Path passwordFile, int poolSize, int timeoutSeconds) {
        @Override
        public String toString() {
            return "Database[" + displayUrl() + "]";
        }

        /** @return the URL without its query string */
        String displayUrl() {
            int q = jdbcUrl.indexOf('?');
            return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
        }
    }

    static ServerOptions defaults() {
        return parse(List.of(), Map.of());
    }

    /**
     * @throws IllegalArgumentException with a message for the user when an option is unknown or malformed
     */
    static ServerOptions parse(List<String> args) {
        return parse(args, System.getenv());
    }

    /**
     * @param env the environment, for the keystore's password
     * @throws IllegalArgumentException with a message for the user when an option is unknown or malformed,
     *     or when a keystore is given without its password
     */
    static ServerOptions parse(List<String> args, Map<String, String> env) {
        Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
        List<String> rest = new ArrayList<>(args);
        while (!rest.isEmpty()) {
            String name = rest.remove(0);
            if (!v.containsKey(name)) {
                throw new IllegalArgumentException(name + ": unknown option");
            }
            if (rest.isEmpty()) {
                throw new IllegalArgumentException(name + ": a value is required");
            }
            v.put(name, rest.remove(0));
        }
        Tls tls = null;
        if (v.get("--tls-keystore") != null) {
            String password = env.get(TLS_PASSWORD_ENV);
            if (password == null) {
                throw new IllegalArgumentException("--tls-keystore: set the keystore's password in " + TLS_PASSWORD_ENV);
            }
            tls = new Tls(Path.of(v.get("--tls-keystore")), password);
        }
        Database database = null;
        if (v.get("--jdbc-url") != null) {
            String url = v.get("--jdbc-url");
            if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:mariadb:")) {
                throw new IllegalArgumentException("--jdbc-url: a jdbc:postgresql: or jdbc:mariadb: URL, was " + url);
            }
            database = new Database(url, v.get("--db-user"), path(v.get("--db-password-file")),
                    number(v, "--db-pool-size", 1, 1000), number(v, "--db-timeout", 1, 3600));
        } else if (v.get("--db-user") != null || v.get("--db-password-file") != null) {
            throw new IllegalArgumentException("--db-user and --db-password-file go with --jdbc-url");
        }
        return new ServerOptions(Path.of(v.get("--db")), path(v.get("--catalog")), path(v.get("--tokens")),
                number(v, "--port", 0, 65535), v.get("--bind"), zone(v.get("--zone")), currency(v.get("--currency")),
                number(v, "--max-body", 1, 16 * 1024 * 1024), number(v, "--due-every", 0, 86_400),
                number(v, "--header-timeout", 1, 3600), number(v, "--body-timeout", 1, 3600),
                number(v, "--idle-timeout", 1, 86_400), number(v, "--max-connections", 1, 1_000_000),
                number(v, "--drain", 0, 3600), tls, database, new SubscriptionPolicy(
                        Duration.ofSeconds(number(v, "--renew-ahead", 0, 366 * 86_400)),
                        Duration.ofSeconds(number(v, "--grace", 0, 366 * 86_400)),
                        Duration.ofSeconds(number(v, "--notify-every", 0, 366 * 86_400)),
                        yesOrNo(v, "--immediate-cancellation"), yesOrNo(v, "--prorated-refunds")),
                Duration.ofSeconds(number(v, "--payment-expiry", 1, 366 * 86_400)), retention(v));
    }

    private static boolean yesOrNo(Map<String, String> v, String name) {
        return switch (v.get(name)) {
            case "yes" -> true;
            case "no" -> false;
            default -> throw new IllegalArgumentException(name + ": yes or no, was " + v.get(name));
        };
    }

    private static Duration retention(Map<String, String> v) {
        int seconds = number(v, "--event-retention", 0, Integer.MAX_VALUE);
        return seconds == 0 ? null : Duration.ofSeconds(seconds);
    }

    private static Path path(String value) {
        return value == null ? null : Path.of(value);
    }

    private static int number(Map<String, String> v, String name, int min, int max) {
        String value = v.get(name);
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + ": must be a number from " + min + " to " + max + ", was " + value);
    }

    private static ZoneId zone(String value) {
        try {
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("--zone: unknown zone " + value);
        }
    }

    private static CurrencyUnit currency(String value) {
        try {
            return Monetary.getCurrency(value);
        } catch (UnknownCurrencyException e) {
            throw new IllegalArgumentException("--currency: unknown currency " + value);
        }
    }
}
