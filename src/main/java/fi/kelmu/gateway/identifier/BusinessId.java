package fi.kelmu.gateway.identifier;

import java.util.regex.Pattern;

/** Finnish business ID (Y-tunnus) {@code NNNNNNN-C} with its modulus-11 check digit. */
public record BusinessId(String value) {

    private static final Pattern SHAPE = Pattern.compile("[0-9]{7}-[0-9]");
    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2};

    public BusinessId {
        if (value == null || !SHAPE.matcher(value).matches()) {
            throw new InvalidIdentifierException("not of the form NNNNNNN-C");
        }
        int sum = 0;
        for (int i = 0; i < WEIGHTS.length; i++) {
            sum += (value.charAt(i) - '0') * WEIGHTS[i];
        }
        int remainder = sum % 11;
        if (remainder == 1) {
            throw new InvalidIdentifierException("no valid check digit exists for this number");
        }
        int expected = remainder == 0 ? 0 : 11 - remainder;
        if (value.charAt(8) - '0' != expected) {
            throw new InvalidIdentifierException("check digit does not match");
        }
    }

    public static BusinessId parse(String candidate) {
        return new BusinessId(candidate);
    }

    public static boolean isValid(String candidate) {
        try {
            parse(candidate);
            return true;
        } catch (InvalidIdentifierException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
