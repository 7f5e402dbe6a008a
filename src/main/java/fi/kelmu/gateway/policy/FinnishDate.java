package fi.kelmu.gateway.policy;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;

/** Contracts and policy periods are in Finnish calendar dates: a request is judged by the date in Finland. */
public final class FinnishDate {

    public static final ZoneId FINLAND = ZoneId.of("Europe/Helsinki");

    private FinnishDate() {
    }

    /** The Finnish calendar date now. */
    public static LocalDate today(Clock clock) {
        return LocalDate.now(clock.withZone(FINLAND));
    }
}
