package fi.kelmu.gateway.identifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Y-tunnus {@code NNNNNNN-C} (notes/mandates-and-identifiers.md §3): weights 7,9,10,5,8,4,2;
 * r = sum mod 11; r = 0 gives C = 0, r = 1 is never issued, otherwise C = 11 - r.
 */
class BusinessIdTest {

    @ParameterizedTest(name = "{0}")
    @DisplayName("business ids with the right modulus-11 check digit are valid")
    @ValueSource(strings = {"0246246-0", "0201256-6", "0101263-6", "2077474-0", "9000001-1", "9000003-8",
            "9000008-9"})
    void validBusinessIdsAreAccepted(String value) {
        assertTrue(BusinessId.isValid(value));
        BusinessId id = BusinessId.parse(value);
        assertEquals(value, id.value());
        assertEquals(value, id.toString());
    }

    @Test
    @DisplayName("a remainder of 0 gives check digit 0 (0246246-0: weighted sum 132)")
    void remainderZeroGivesCheckDigitZero() {
        assertTrue(BusinessId.isValid("0246246-0"));
        for (char c = '1'; c <= '9'; c++) {
            assertFalse(BusinessId.isValid("0246246-" + c));
        }
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("a wrong check digit is refused")
    @ValueSource(strings = {"0246246-1", "0201256-5", "0101263-7", "2077474-9", "9000001-2", "9000001-0"})
    void wrongCheckDigitIsRefused(String value) {
        InvalidIdentifierException e = assertThrows(InvalidIdentifierException.class, () -> BusinessId.parse(value));
        assertTrue(e.getMessage().contains("check digit"), e.getMessage());
        assertFalse(BusinessId.isValid(value));
    }

    @ParameterizedTest(name = "9000002-{0}")
    @DisplayName("a number whose weighted sum leaves remainder 1 has no valid check digit (9000002-x for every x)")
    @ValueSource(chars = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9'})
    void remainderOneNumbersAreNeverValid(char checkDigit) {
        String value = "9000002-" + checkDigit;
        InvalidIdentifierException e = assertThrows(InvalidIdentifierException.class, () -> BusinessId.parse(value));
        assertTrue(e.getMessage().contains("no valid check digit"), e.getMessage());
        assertFalse(BusinessId.isValid(value));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @DisplayName("a value not of the shape NNNNNNN-C is refused")
    @ValueSource(strings = {"", "02462460", "0246246 0", "02462460-0", "246246-0", "024624-60", "0246246-00",
            "A246246-0", "0246246-A", "Y0246246-0", " 0246246-0", "0246246-0 ", "0246246–0"})
    void badShapeIsRefused(String value) {
        InvalidIdentifierException e = assertThrows(InvalidIdentifierException.class, () -> BusinessId.parse(value));
        assertTrue(e.getMessage().contains("NNNNNNN-C"), e.getMessage());
        assertFalse(BusinessId.isValid(value));
    }

    @ParameterizedTest
    @NullSource
    @DisplayName("null is refused by parse and by the constructor, and reported invalid by isValid")
    void nullIsRefused(String value) {
        assertThrows(InvalidIdentifierException.class, () -> BusinessId.parse(value));
        assertThrows(InvalidIdentifierException.class, () -> new BusinessId(value));
        assertFalse(BusinessId.isValid(value));
    }

    @Test
    @DisplayName("the record constructor validates too, so no invalid BusinessId can exist")
    void constructorValidates() {
        assertThrows(InvalidIdentifierException.class, () -> new BusinessId("0246246-1"));
        assertEquals(new BusinessId("2077474-0"), BusinessId.parse("2077474-0"));
        assertNotEquals(BusinessId.parse("2077474-0"), BusinessId.parse("0246246-0"));
    }
}
