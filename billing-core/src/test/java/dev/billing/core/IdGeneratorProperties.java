package dev.billing.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class IdGeneratorProperties {

    @Property
    void format_writesAnyBitsAsUuidToStringDoes(@ForAll long high, @ForAll long low) {
        assertEquals(new UUID(high, low).toString(), RandomIds.format(high, low));
    }
}
