package dev.billing.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.core.BillingEngine;
import dev.billing.core.subscriptions.SubscriptionPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The subscription and payment options of {@code serve}. */
class ServerOptionsTest {

    @Test
    void theDefaults_areTheEnginesDefaults() {
        ServerOptions o = ServerOptions.parse(List.of());
        assertEquals(SubscriptionPolicy.DEFAULT, o.policy());
        assertEquals(BillingEngine.DEFAULT_PAYMENT_EXPIRY, o.paymentExpiry());
        assertEquals(null, o.eventRetention(), "events kept for ever");
    }

    @Test
    void cancellations_canBeLimited() {
        SubscriptionPolicy p = ServerOptions.parse(List.of("--immediate-cancellation", "no", "--prorated-refunds", "no"))
                .policy();
        assertEquals(false, p.immediateCancellation());
        assertEquals(false, p.proratedRefunds());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerOptions.parse(List.of("--prorated-refunds",
                "maybe"))).getMessage().startsWith("--prorated-refunds:"));
    }

    @Test
    void eventRetention_inSeconds() {
        assertEquals(Duration.ofDays(30), ServerOptions.parse(List.of("--event-retention", "2592000")).eventRetention());
    }

    @Test
    void theReferencePlatformsPolicy_isTwoOptions() {
        ServerOptions o = ServerOptions.parse(List.of("--renew-ahead", "604800", "--grace", "604800",
                "--payment-expiry", "900"));
        assertEquals(SubscriptionPolicy.REFERENCE, o.policy());
        assertEquals(Duration.ofMinutes(15), o.paymentExpiry());
        assertEquals(Duration.ofHours(1), ServerOptions.parse(List.of("--notify-every", "3600")).policy()
                .notificationInterval());
    }

    @Test
    void badValues_nameTheOption() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerOptions.parse(List.of("--grace", "-1")))
                .getMessage().startsWith("--grace:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerOptions.parse(List.of("--payment-expiry",
                "0"))).getMessage().startsWith("--payment-expiry:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerOptions.parse(List.of("--event-retention",
                "-5"))).getMessage().startsWith("--event-retention:"));
    }
}
