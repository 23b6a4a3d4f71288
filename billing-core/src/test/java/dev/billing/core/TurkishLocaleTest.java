package dev.billing.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.billing.core.catalog.BillPeriod;
import dev.billing.core.catalog.Plan;
import dev.billing.core.contract.World;
import dev.billing.core.memory.InMemoryStorage;
import dev.billing.core.wallet.AccountStatus;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Case-insensitive matching and stored codes must not depend on the default locale (Turkish dotless i). */
class TurkishLocaleTest {

    private Locale saved;

    @BeforeEach
    void turkish() {
        saved = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
    }

    @AfterEach
    void restore() {
        Locale.setDefault(saved);
    }

    @Test
    void market_typeI_matchesLowerCaseI_andStatusesRoundTrip() {
        World world = new World(InMemoryStorage.create());
        world.engine.definePlan(Plan.of("p-i", "I", World.cny("1"), BillPeriod.parse("monthly"), "io", "aws"));
        assertEquals(List.of("p-i"), world.engine.market("aws", "i").stream().map(Plan::id).toList());
        assertEquals(BillPeriod.MONTHLY, BillPeriod.parse("MONTHLY"));
        world.engine.recharge("ns", World.cny("1"), "k");
        world.engine.setStatus("ns", AccountStatus.SUSPENDED, "suspend");
        assertEquals(AccountStatus.SUSPENDED, world.engine.balance("ns").status());
    }
}
