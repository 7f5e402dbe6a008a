package fi.kelmu.gateway.mandate;

/**
 * Masks a henkilötunnus for logs: the date of birth part (6 characters) and {@code ****}. Enough to tell
 * log lines apart while debugging, not enough to identify a person.
 */
public final class HetuMask {

    private HetuMask() {
    }

    public static String mask(String hetu) {
        if (hetu == null) {
            return "null";
        }
        return (hetu.length() <= 6 ? "" : hetu.substring(0, 6)) + "****";
    }
}
