package fi.kelmu.gateway.identifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Henkilötunnus {@code DDMMYYCZZZQ} (notes/mandates-and-identifiers.md §3). Check characters of the
 * constructed codes were computed independently with
 * {@code Q = "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(DDMMYY + ZZZ) % 31]}.
 */
class PersonalIdentityCodeTest {

    @Nested
    @DisplayName("valid codes")
    class Valid {

        @ParameterizedTest(name = "century sign {1}: {0} is born on {2}")
        @DisplayName("a code with any of the 13 century signs (§3: + - Y X W V U A B C D E F) is accepted and dated in its century")
        @CsvSource({
                "150875+123E, +, 1875-08-15",
                "150875-123E, -, 1975-08-15",
                "010594Y9032, Y, 1994-05-01",
                "020594X903P, X, 1994-05-02",
                "311299W456X, W, 1999-12-31",
                "290296V0025, V, 1996-02-29",
                "121212U899H, U, 1912-12-12",
                "010101A2348, A, 2001-01-01",
                "010516B903X, B, 2016-05-01",
                "290200C345E, C, 2000-02-29",
                "311220D5674, D, 2020-12-31",
                "010123E998K, E, 2023-01-01",
                "151015F777N, F, 2015-10-15"
        })
        void everyCenturySignIsAcceptedAndDatesTheBirthInItsCentury(String code, char sign, LocalDate born) {
            assertEquals(sign, code.charAt(6));
            assertTrue(PersonalIdentityCode.isValid(code));
            PersonalIdentityCode parsed = PersonalIdentityCode.parse(code);
            assertEquals(code, parsed.value());
            assertEquals(born, parsed.dateOfBirth());
        }

        @ParameterizedTest(name = "{0}")
        @DisplayName("the published DVV test codes are valid")
        @ValueSource(strings = {"010594Y9032", "020594X903P", "010516B903X", "020504B904H", "010180-9026"})
        void publishedDvvTestCodesAreValid(String code) {
            assertTrue(PersonalIdentityCode.isValid(code));
            assertEquals(code, PersonalIdentityCode.parse(code).value());
        }

        @Test
        @DisplayName("the century sign is not part of the checksum, so 010594-9032 is valid as well as 010594Y9032")
        void centurySignIsNotPartOfTheChecksum() {
            assertTrue(PersonalIdentityCode.isValid("010594-9032"));
            assertTrue(PersonalIdentityCode.isValid("010594Y9032"));
            assertEquals(PersonalIdentityCode.parse("010594-9032").dateOfBirth(),
                    PersonalIdentityCode.parse("010594Y9032").dateOfBirth());
        }

        @Test
        @DisplayName("the century sign is part of the identity (2023 decree): 010594Y9032 is not the same code as 010594-9032")
        void centurySignIsPartOfTheIdentity() {
            PersonalIdentityCode dash = PersonalIdentityCode.parse("010594-9032");
            PersonalIdentityCode y = PersonalIdentityCode.parse("010594Y9032");
            assertNotEquals(dash, y);
            assertNotEquals(y, dash);
            assertEquals("010594-9032", dash.value());
            assertEquals("010594Y9032", y.value());
        }

        @Test
        @DisplayName("two parses of the same code are equal and have the same hash code")
        void sameCodeIsEqual() {
            PersonalIdentityCode a = PersonalIdentityCode.parse("020504B904H");
            PersonalIdentityCode b = PersonalIdentityCode.parse("020504B904H");
            assertEquals(a, b);
            assertEquals(a.hashCode(), b.hashCode());
            assertNotEquals(a, null);
            assertNotEquals(a, "020504B904H");
        }

        @Test
        @DisplayName("29 February is a valid birth date in a leap year (2000), but 1900 was not a leap year")
        void leapDayDependsOnTheCentury() {
            assertEquals(LocalDate.of(2000, 2, 29), PersonalIdentityCode.parse("290200A1239").dateOfBirth());
            assertFalse(PersonalIdentityCode.isValid("290200-1239"));
        }
    }

    @Nested
    @DisplayName("test codes")
    class TestCodes {

        @ParameterizedTest(name = "{0}")
        @DisplayName("individual numbers 900-999 mark a temporary or test code")
        @ValueSource(strings = {"010594Y9032", "020594X903P", "010180-9026", "010123E998K"})
        void individualNumbers900To999AreTestCodes(String code) {
            assertTrue(PersonalIdentityCode.parse(code).isTestCode());
        }

        @ParameterizedTest(name = "{0}")
        @DisplayName("individual numbers 002-899 are ordinary codes, not test codes")
        @ValueSource(strings = {"290296V0025", "121212U899H", "150875-123E", "151015F777N"})
        void individualNumbersBelow900AreNotTestCodes(String code) {
            assertFalse(PersonalIdentityCode.parse(code).isTestCode());
        }
    }

    @Nested
    @DisplayName("invalid codes")
    class Invalid {

        @ParameterizedTest(name = "{0}")
        @DisplayName("a wrong check character is refused")
        @ValueSource(strings = {"010594Y9033", "020594X903R", "010180-9027", "150875-123F", "010516B9030"})
        void wrongCheckCharacterIsRefused(String code) {
            InvalidIdentifierException e = assertThrows(InvalidIdentifierException.class,
                    () -> PersonalIdentityCode.parse(code));
            assertTrue(e.getMessage().contains("check character"), e.getMessage());
            assertFalse(PersonalIdentityCode.isValid(code));
        }

        @ParameterizedTest(name = "{0}")
        @DisplayName("an unknown century sign is refused even when the checksum is right")
        @ValueSource(strings = {"010594G9032", "010594Z9032", "010594a9032", "010594 9032", "010594_9032"})
        void unknownCenturySignIsRefused(String code) {
            assertThrows(InvalidIdentifierException.class, () -> PersonalIdentityCode.parse(code));
            assertFalse(PersonalIdentityCode.isValid(code));
        }

        @ParameterizedTest(name = "{0}")
        @DisplayName("a birth date that is not a calendar date is refused even when the checksum is right")
        @ValueSource(strings = {"310299-1234", "290299-123U", "000000-123Y", "011300-1233", "290201A123J"})
        void nonCalendarDateIsRefused(String code) {
            InvalidIdentifierException e = assertThrows(InvalidIdentifierException.class,
                    () -> PersonalIdentityCode.parse(code));
            assertTrue(e.getMessage().contains("date"), e.getMessage());
        }

        @ParameterizedTest(name = "{0}")
        @DisplayName("individual numbers 000 and 001 are not used, even with a correct check character")
        @ValueSource(strings = {"010594-000X", "010594-001Y"})
        void individualNumbers000And001AreRefused(String code) {
            InvalidIdentifierException e = assertThrows(InvalidIdentifierException.class,
                    () -> PersonalIdentityCode.parse(code));
            assertTrue(e.getMessage().contains("000"), e.getMessage());
        }

        @ParameterizedTest(name = "\"{0}\"")
        @DisplayName("a code of the wrong length or with surrounding blanks is refused")
        @ValueSource(strings = {"", "010594Y903", "010594Y90322", "10594Y9032", " 010594Y9032", "010594Y9032 ",
                "010594-Y9032"})
        void wrongLengthIsRefused(String code) {
            assertThrows(InvalidIdentifierException.class, () -> PersonalIdentityCode.parse(code));
            assertFalse(PersonalIdentityCode.isValid(code));
        }

        @ParameterizedTest(name = "{0}")
        @DisplayName("lower-case century signs and check characters are refused")
        @ValueSource(strings = {"010594y9032", "020594x903P", "020594X903p", "010516b903x"})
        void lowerCaseIsRefused(String code) {
            assertThrows(InvalidIdentifierException.class, () -> PersonalIdentityCode.parse(code));
            assertFalse(PersonalIdentityCode.isValid(code));
        }

        @ParameterizedTest
        @NullSource
        @DisplayName("null is refused by parse and reported invalid by isValid")
        void nullIsRefused(String code) {
            assertThrows(InvalidIdentifierException.class, () -> PersonalIdentityCode.parse(code));
            assertFalse(PersonalIdentityCode.isValid(code));
        }

        @Test
        @DisplayName("the refusal is an IllegalArgumentException, so callers may treat it as bad input")
        void refusalIsAnIllegalArgumentException() {
            assertThrows(IllegalArgumentException.class, () -> PersonalIdentityCode.parse("nonsense"));
        }
    }

    @Nested
    @DisplayName("dates of birth in the future")
    class FutureBirth {

        /** The first instant of 15 March 2026 in Finland (EET, UTC+2). */
        private static final Instant FINNISH_MIDNIGHT = Instant.parse("2026-03-14T22:00:00Z");

        private Clock at(Instant instant) {
            return Clock.fixed(instant, ZoneOffset.UTC);
        }

        @Test
        @DisplayName("010150A902E, born in 2050, is refused today and accepted by a clock in 2051")
        void codeBornIn2050IsRefusedNowAndAcceptedIn2051() {
            InvalidIdentifierException e = assertThrows(InvalidIdentifierException.class,
                    () -> PersonalIdentityCode.parse("010150A902E"));
            assertTrue(e.getMessage().contains("future"), e.getMessage());
            assertFalse(PersonalIdentityCode.isValid("010150A902E"));

            Clock in2051 = at(Instant.parse("2051-06-01T12:00:00Z"));
            assertTrue(PersonalIdentityCode.isValid("010150A902E", in2051));
            assertEquals(LocalDate.of(2050, 1, 1), PersonalIdentityCode.parse("010150A902E", in2051).dateOfBirth());
        }

        @Test
        @DisplayName("a code born today in Finland is accepted from the first instant of the Finnish day")
        void codeBornTodayIsAccepted() {
            assertTrue(PersonalIdentityCode.isValid("150326A904Y", at(FINNISH_MIDNIGHT)));
            assertEquals(LocalDate.of(2026, 3, 15),
                    PersonalIdentityCode.parse("150326A904Y", at(FINNISH_MIDNIGHT)).dateOfBirth());
        }

        @Test
        @DisplayName("a code born today in Finland is refused a second before Finnish midnight, though UTC is on the same date")
        void codeBornTodayIsRefusedTheSecondBeforeFinnishMidnight() {
            Clock lastSecondOfTheDayBefore = at(FINNISH_MIDNIGHT.minusSeconds(1));
            assertFalse(PersonalIdentityCode.isValid("150326A904Y", lastSecondOfTheDayBefore));
            assertTrue(PersonalIdentityCode.isValid("140326A904A", lastSecondOfTheDayBefore));
        }

        @Test
        @DisplayName("a code born tomorrow in Finland is refused, even at the last second of today")
        void codeBornTomorrowIsRefused() {
            Clock lastSecondOfToday = at(FINNISH_MIDNIGHT.plusSeconds(24 * 3600 - 1));
            assertFalse(PersonalIdentityCode.isValid("160326A904L", at(FINNISH_MIDNIGHT)));
            assertFalse(PersonalIdentityCode.isValid("160326A904L", lastSecondOfToday));
            assertTrue(PersonalIdentityCode.isValid("160326A904L", at(FINNISH_MIDNIGHT.plusSeconds(24 * 3600))));
        }

        @Test
        @DisplayName("on New Year's Eve in UTC a code born on New Year's Day is accepted once it is the new year in Finland")
        void newYearInFinlandComesTwoHoursBeforeUtc() {
            Instant finnishNewYear = Instant.parse("2026-12-31T22:00:00Z");
            assertFalse(PersonalIdentityCode.isValid("010127A905L", at(finnishNewYear.minusSeconds(1))));
            assertTrue(PersonalIdentityCode.isValid("010127A905L", at(finnishNewYear)));
            assertTrue(PersonalIdentityCode.isValid("311226A905K", at(finnishNewYear.minusSeconds(1))));
        }

        @Test
        @DisplayName("the clock's own zone does not matter: today is Finland's")
        void clockZoneDoesNotMatter() {
            Clock inNewYork = Clock.fixed(FINNISH_MIDNIGHT, java.time.ZoneId.of("America/New_York"));
            assertTrue(PersonalIdentityCode.isValid("150326A904Y", inNewYork));
        }
    }

    @Nested
    @DisplayName("toString")
    class ToString {

        @ParameterizedTest(name = "{0}")
        @DisplayName("toString does not reveal the full code, its individual number or its check character")
        @ValueSource(strings = {"010594Y9032", "020504B904H", "010180-9026", "150875+123E"})
        void toStringDoesNotRevealTheCode(String code) {
            String shown = PersonalIdentityCode.parse(code).toString();
            assertFalse(shown.contains(code), shown);
            assertFalse(shown.contains(code.substring(6)), shown);
            assertFalse(shown.contains(code.substring(7, 10)), shown);
        }
    }
}
