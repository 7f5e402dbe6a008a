package fi.kelmu.gateway.identifier;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A Finnish bank account number as an IBAN (ISO 13616): {@code FI}, two check digits and a 14-digit BBAN, 18
 * characters, kept in its electronic form (upper case, no spaces). Payment demands (R-PAY-1) and the HVA contact
 * registry (R-PAY-8) accept only Finnish accounts, since Kela pays to Finnish accounts only.
 *
 * <p>An account number is personal or business data that a log line or an exception message must not repeat in
 * full: {@link #toString()} gives only {@link #masked()}; {@link #value()} is for storage and the backend.
 */
public final class Iban {

    /** Length of a Finnish IBAN in its electronic form. */
    public static final int LENGTH = 18;
    private static final Pattern FINNISH = Pattern.compile("FI[0-9]{16}");
    private static final Pattern ANY_COUNTRY = Pattern.compile("[A-Z]{2}[0-9]{2}[A-Z0-9]+");

    private final String value;

    private Iban(String value) {
        this.value = value;
    }

    /**
     * Parses an IBAN as a person writes it (either case, spaces anywhere, as in the paper form {@code FI21 1234 5600
     * 0007 85}), or throws {@link InvalidIdentifierException} saying what is wrong, never quoting the number.
     */
    public static Iban parse(String candidate) {
        if (candidate == null) {
            throw new InvalidIdentifierException("no IBAN");
        }
        String compact = candidate.replace(" ", "").toUpperCase(Locale.ROOT);
        if (!ANY_COUNTRY.matcher(compact).matches()) {
            throw new InvalidIdentifierException("not of the form CCNN followed by letters and digits");
        }
        if (!compact.startsWith("FI")) {
            throw new InvalidIdentifierException("not a Finnish IBAN (FI)");
        }
        if (!FINNISH.matcher(compact).matches()) {
            throw new InvalidIdentifierException("a Finnish IBAN is FI and 16 digits, 18 characters");
        }
        if (mod97(compact) != 1) {
            throw new InvalidIdentifierException("check digits do not match (ISO 13616 mod-97)");
        }
        return new Iban(compact);
    }

    public static boolean isValid(String candidate) {
        try {
            parse(candidate);
            return true;
        } catch (InvalidIdentifierException e) {
            return false;
        }
    }

    /**
     * ISO 13616: the first four characters moved to the end, each letter replaced by its number (A = 10 ... Z = 35),
     * the whole read as one decimal number modulo 97; computed digit by digit so that no big number is needed.
     */
    private static int mod97(String iban) {
        String rearranged = iban.substring(4) + iban.substring(0, 4);
        int remainder = 0;
        for (int i = 0; i < rearranged.length(); i++) {
            int n = Character.digit(rearranged.charAt(i), 36);
            remainder = (n < 10 ? remainder * 10 + n : remainder * 100 + n) % 97;
        }
        return remainder;
    }

    /** The electronic form, e.g. {@code FI2112345600000785}: for storage and the backend, never for a log. */
    public String value() {
        return value;
    }

    /** {@code ****} and the last four characters, as the access log and reports show an account. */
    public String masked() {
        return "****" + value.substring(value.length() - 4);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Iban other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** Only the masked form: an account number must not end up in a log by accident. */
    @Override
    public String toString() {
        return masked();
    }
}
