package fi.kelmu.gateway.policy;

import java.util.List;

/** A purpose of use (käyttötarkoitus): the operation that serves it and the views it may return, in order. */
public record Purpose(String code, String operation, List<String> views, String rule) {

    public Purpose {
        views = List.copyOf(views);
    }
}
