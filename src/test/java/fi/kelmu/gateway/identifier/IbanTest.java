package fi.kelmu.gateway.identifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** A Finnish IBAN (ISO 13616): FI, 16 digits, mod-97 of the rearranged number is 1; shown only masked. */
class IbanTest {

    @ParameterizedTest(name = "{0}")
    @DisplayName("known valid Finnish IBANs are accepted, in either case and with or without spaces")
    @CsvSource({
        "'FI21 1234 5600 0007 85', FI2112345600000785",
        "FI2112345600000785,       FI2112345600000785",
        "'fi21 1234 5600 0007 85', FI2112345600000785",
        "'FI49 5000 9420 0287 30', FI4950009420028730",
        "' FI4950009420028730 ',   FI4950009420028730",
        "FI4312345600000001,       FI4312345600000001"})
    void validFinnishIbansAreAccepted(String written, String electronic) {
        assertTrue(Iban.isValid(written));
        Iban iban = Iban.parse(written);
        assertEquals(electronic, iban.value());
        assertEquals(Iban.LENGTH, iban.value().length());
    }

    @Test
    @DisplayName("the written and the electronic form are one account")
    void writtenAndElectronicFormsAreEqual() {
        assertEquals(Iban.parse("FI21 1234 5600 0007 85"), Iban.parse("fi2112345600000785"));
        assertEquals(Iban.parse("FI21 1234 5600 0007 85").hashCode(), Iban.parse("FI2112345600000785").hashCode());
        assertNotEquals(Iban.parse("FI21 1234 5600 0007 85"), Iban.parse("FI49 5000 9420 0287 30"));
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("wrong check digits, or a changed digit, are refused by mod-97")
    @ValueSource(strings = {"FI22 1234 5600 0007 85", "FI21 1234 5600 0007 86", "FI21 1234 5600 0070 85",
            "FI00 1234 5600 0007 85", "FI49 5000 9420 0287 31"})
    void wrongCheckDigitsAreRefused(String value) {
        InvalidIdentifierException e = assertThrows(InvalidIdentifierException.class, () -> Iban.parse(value));
        assertTrue(e.getMessage().contains("mod-97"), e.getMessage());
        assertFalse(Iban.isValid(value));
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("a Finnish IBAN of the wrong length, or with letters in it, is refused")
    @ValueSource(strings = {"FI21 1234 5600 0007 8", "FI21 1234 5600 0007 855", "FI21 1234 5600 000A 85"})
    void wrongLengthIsRefused(String value) {
        InvalidIdentifierException e = assertThrows(InvalidIdentifierException.class, () -> Iban.parse(value));
        assertTrue(e.getMessage().contains("18 characters"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("a valid IBAN of another country is refused: Kela pays to Finnish accounts only")
    @ValueSource(strings = {"SE45 5000 0000 0583 9825 7466", "DE89 3704 0044 0532 0130 00"})
    void otherCountriesAreRefused(String value) {
        InvalidIdentifierException e = assertThrows(InvalidIdentifierException.class, () -> Iban.parse(value));
        assertEquals("not a Finnish IBAN (FI)", e.getMessage());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @DisplayName("nothing, or something that is no IBAN at all, is refused")
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "1234 5600 0007 85", "FI-21-1234", "FIXX12345600000785"})
    void nonIbansAreRefused(String value) {
        assertThrows(InvalidIdentifierException.class, () -> Iban.parse(value));
        assertFalse(Iban.isValid(value));
    }

    @Test
    @DisplayName("a refusal never quotes the number it refuses")
    void refusalsDoNotQuoteTheNumber() {
        for (String value : new String[] {"FI22 1234 5600 0007 85", "FI21 1234 5600 0007 8", "SE45 5000 0000 0583 9825 7466"}) {
            InvalidIdentifierException e = assertThrows(InvalidIdentifierException.class, () -> Iban.parse(value));
            assertFalse(e.getMessage().contains("1234") || e.getMessage().contains("5000"), e.getMessage());
        }
    }

    @Test
    @DisplayName("masked() and toString() show **** and the last four characters only")
    void onlyTheMaskedFormIsShown() {
        Iban iban = Iban.parse("FI21 1234 5600 0007 85");
        assertEquals("****0785", iban.masked());
        assertEquals("****0785", iban.toString());
        assertFalse(String.valueOf(iban).contains("12345600"));
    }
}
