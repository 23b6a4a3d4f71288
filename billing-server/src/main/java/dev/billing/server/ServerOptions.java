package dev.billing.server;

import dev.billing.http.BillingHttpHandler;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import javax.money.CurrencyUnit;
import javax.money.Monetary;
import javax.money.UnknownCurrencyException;

/** The server's command line: {@code serve [--option value]...}. */
record ServerOptions(Path db, Path catalog, Path tokens, int port, String bind, ZoneId zone, CurrencyUnit currency,
        int maxBodyBytes, int dueEverySeconds) {

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
              --bind ADDRESS     address to listen on (default 127.0.0.1)
              --zone ZONE        time zone of the JSON times, and of the billing cycles of accounts
                                 opened from now on (default UTC); existing accounts keep theirs
              --currency CODE    currency of accounts opened by a recharge without one (default CNY)
              --max-body BYTES   largest request body (default 4194304: a usage batch of 10,000 events)
              --due-every SECS   close ended billing periods and renew subscriptions (runDue) this often;
                                 0 turns it off (default 60)
            """;

    static ServerOptions defaults() {
        return new ServerOptions(Path.of("data", "billing"), null, null, 8080, "127.0.0.1", ZoneId.of("UTC"),
                Monetary.getCurrency("CNY"), BillingHttpHandler.DEFAULT_MAX_BODY_BYTES, 60);
    }

    /**
     * @throws IllegalArgumentException with a message for the user when an option is unknown or malformed
     */
    static ServerOptions parse(List<String> args) {
        ServerOptions o = defaults();
        List<String> rest = new ArrayList<>(args);
        while (!rest.isEmpty()) {
            String name = rest.remove(0);
            if (rest.isEmpty()) {
                throw new IllegalArgumentException(name + ": a value is required");
            }
            String value = rest.remove(0);
            o = switch (name) {
                case "--db" -> new ServerOptions(Path.of(value), o.catalog, o.tokens, o.port, o.bind, o.zone, o.currency,
                        o.maxBodyBytes, o.dueEverySeconds);
                case "--catalog" -> new ServerOptions(o.db, Path.of(value), o.tokens, o.port, o.bind, o.zone,
                        o.currency, o.maxBodyBytes, o.dueEverySeconds);
                case "--tokens" -> new ServerOptions(o.db, o.catalog, Path.of(value), o.port, o.bind, o.zone,
                        o.currency, o.maxBodyBytes, o.dueEverySeconds);
                case "--port" -> new ServerOptions(o.db, o.catalog, o.tokens, number(name, value, 0, 65535), o.bind,
                        o.zone, o.currency, o.maxBodyBytes, o.dueEverySeconds);
                case "--bind" -> new ServerOptions(o.db, o.catalog, o.tokens, o.port, value, o.zone, o.currency,
                        o.maxBodyBytes, o.dueEverySeconds);
                case "--zone" -> new ServerOptions(o.db, o.catalog, o.tokens, o.port, o.bind, zone(value), o.currency,
                        o.maxBodyBytes, o.dueEverySeconds);
                case "--currency" -> new ServerOptions(o.db, o.catalog, o.tokens, o.port, o.bind, o.zone,
                        currency(value), o.maxBodyBytes, o.dueEverySeconds);
                case "--max-body" -> new ServerOptions(o.db, o.catalog, o.tokens, o.port, o.bind, o.zone, o.currency,
                        number(name, value, 1, 16 * 1024 * 1024), o.dueEverySeconds);
                case "--due-every" -> new ServerOptions(o.db, o.catalog, o.tokens, o.port, o.bind, o.zone, o.currency,
                        o.maxBodyBytes, number(name, value, 0, 86_400));
                default -> throw new IllegalArgumentException(name + ": unknown option");
            };
        }
        return o;
    }

    ServerOptions withPort(int newPort) {
        return new ServerOptions(db, catalog, tokens, newPort, bind, zone, currency, maxBodyBytes, dueEverySeconds);
    }

    private static int number(String name, String value, int min, int max) {
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
