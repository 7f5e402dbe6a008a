package fi.kelmu.gateway.identifier;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Finnish personal identity code (henkilötunnus) {@code DDMMYYCZZZQ}: date of birth, century sign,
 * individual number and check character. Since the 2023 decree the century sign is part of the
 * identity ({@code 010594Y9032} and {@code 010594-9032} are different codes), so the code is kept
 * exactly as given. Nobody is born after today, in Finland: a code with a future date of birth is refused.
 */
public final class PersonalIdentityCode {

    /** Finland's time zone: a date of birth must not be after today there. */
    public static final ZoneId FINLAND = ZoneId.of("Europe/Helsinki");
    private static final Pattern SHAPE = Pattern.compile("[0-9]{6}[+\\-YXWVUABCDEF][0-9]{3}[0-9A-Y]");
    private static final String CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY";
    private static final Map<Character, Integer> CENTURY = Map.ofEntries(
            Map.entry('+', 1800),
            Map.entry('-', 1900), Map.entry('Y', 1900), Map.entry('X', 1900), Map.entry('W', 1900),
            Map.entry('V', 1900), Map.entry('U', 1900),
            Map.entry('A', 2000), Map.entry('B', 2000), Map.entry('C', 2000), Map.entry('D', 2000),
            Map.entry('E', 2000), Map.entry('F', 2000));

    private final String value;
    private final LocalDate dateOfBirth;
    private final int individualNumber;

    private PersonalIdentityCode(String value, LocalDate dateOfBirth, int individualNumber) {
        this.value = value;
        this.dateOfBirth = dateOfBirth;
        this.individualNumber = individualNumber;
    }

    /** Parses a code, or throws {@link InvalidIdentifierException} saying what is wrong with it. */
    public static PersonalIdentityCode parse(String candidate) {
        return parse(candidate, Clock.systemUTC());
    }

    /**
     * Parses a code, or throws {@link InvalidIdentifierException} saying what is wrong with it; the date of birth
     * must not be after the clock's today in Finland ({@link #FINLAND}).
     */
    public static PersonalIdentityCode parse(String candidate, Clock clock) {
        if (candidate == null || !SHAPE.matcher(candidate).matches()) {
            throw new InvalidIdentifierException("not of the form DDMMYYCZZZQ with a known century sign");
        }
        int day = Integer.parseInt(candidate.substring(0, 2));
        int month = Integer.parseInt(candidate.substring(2, 4));
        int year = CENTURY.get(candidate.charAt(6)) + Integer.parseInt(candidate.substring(4, 6));
        LocalDate birth;
        try {
            birth = LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
            throw new InvalidIdentifierException("date of birth is not a calendar date");
        }
        if (birth.isAfter(LocalDate.now(clock.withZone(FINLAND)))) {
            throw new InvalidIdentifierException("date of birth is in the future");
        }
        int individual = Integer.parseInt(candidate.substring(7, 10));
        if (individual < 2) {
            throw new InvalidIdentifierException("individual number 000 and 001 are not used");
        }
        long checked = Long.parseLong(candidate.substring(0, 6) + candidate.substring(7, 10));
        char expected = CHECK_CHARACTERS.charAt((int) (checked % 31));
        if (candidate.charAt(10) != expected) {
            throw new InvalidIdentifierException("check character does not match");
        }
        return new PersonalIdentityCode(candidate, birth, individual);
    }

    public static boolean isValid(String candidate) {
        return isValid(candidate, Clock.systemUTC());
    }

    /** Whether {@link #parse(String, Clock)} accepts the code. */
    public static boolean isValid(String candidate, Clock clock) {
        try {
            parse(candidate, clock);
            return true;
        } catch (InvalidIdentifierException e) {
            return false;
        }
    }

    public String value() {
        return value;
    }

    public LocalDate dateOfBirth() {
        return dateOfBirth;
    }

    /** Individual numbers 900-999 are temporary or test codes; the sandbox's demo clients use them. */
    public boolean isTestCode() {
        return individualNumber >= 900;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PersonalIdentityCode other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** Never the code itself: identity codes must not end up in logs by accident. */
    @Override
    public String toString() {
        return "PersonalIdentityCode[***********]";
    }
}
