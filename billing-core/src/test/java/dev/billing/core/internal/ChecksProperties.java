package dev.billing.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.billing.core.InvalidRequestException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;

/** Identifiers: the fast path for plain ASCII and the full checks agree on what they accept. */
class ChecksProperties {

    @Property(tries = 300)
    void visibleAscii_upToTheLimit_isAcceptedAsItIs(@ForAll @CharRange(from = '!', to = '~') @StringLength(min = 1, max = 64) String value) {
        assertEquals(value, Checks.token("f", value, 64));
    }

    @Property(tries = 300)
    void visibleAscii_overTheLimit_isRefused(@ForAll @CharRange(from = '!', to = '~') @StringLength(min = 65, max = 80) String value) {
        assertThrows(InvalidRequestException.class, () -> Checks.token("f", value, 64));
    }

    @Property(tries = 300)
    void aControlCharacterOrAnEdgeSpace_isRefused_whateverSurroundsIt(
            @ForAll @CharRange(from = '!', to = '~') @StringLength(max = 10) String head,
            @ForAll("invisible") char bad,
            @ForAll @CharRange(from = '!', to = '~') @StringLength(max = 10) String tail) {
        assertThrows(InvalidRequestException.class, () -> Checks.token("f", head + bad + tail, 64));
        assertThrows(InvalidRequestException.class, () -> Checks.token("f", " " + head + tail + "x", 64));
        assertThrows(InvalidRequestException.class, () -> Checks.token("f", "x" + head + tail + " ", 64));
    }

    @Provide
    Arbitrary<Character> invisible() {
        return Arbitraries.of('\u0000', '\t', '\n', '\u007f', '\u200b', '\u2028');
    }

    @Property(tries = 100)
    void nonAsciiLetters_takeTheFullChecks(@ForAll @CharRange(from = '\u00c0', to = '\u00ff') @StringLength(min = 1, max = 20) String value) {
        // composed Latin-1 letters are NFC; the multiplication and division signs are symbols, fine too
        assertEquals(value, Checks.token("f", value, 64));
        assertThrows(InvalidRequestException.class, () -> Checks.token("f", value + "e\u0301", 64), "not NFC");
    }
}
