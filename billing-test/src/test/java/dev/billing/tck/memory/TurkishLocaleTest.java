package dev.billing.tck.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.billing.core.accounts.AccountStatus;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.memory.InMemoryStorage;
import dev.billing.tck.World;
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
        world.engine.catalog().definePlan(Plan.of("p-i", "I", World.cny("1"), PlanTerm.parse("monthly"), "io", "aws"));
        assertEquals(List.of("p-i"), world.engine.catalog().market("aws", "i").stream().map(Plan::id).toList());
        assertEquals(PlanTerm.MONTHLY, PlanTerm.parse("MONTHLY"));
        world.engine.wallet().recharge("ns", World.cny("1"), "k");
        world.engine.accounts().setStatus("ns", AccountStatus.SUSPENDED, "suspend");
        assertEquals(AccountStatus.SUSPENDED, world.engine.wallet().balance("ns").status());
    }
}
