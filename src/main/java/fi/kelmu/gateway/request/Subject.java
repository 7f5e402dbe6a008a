package fi.kelmu.gateway.request;

import fi.kelmu.gateway.identifier.PersonalIdentityCode;
import java.util.List;
import java.util.Optional;

/**
 * Whom and why a data request asks about, as the request names them, before anything is checked: the client
 * (henkilötunnus as sent), the purpose of use and the views asked for (none: all the purpose allows).
 */
public record Subject(String clientId, String purpose, List<String> requestedViews) {

    public Subject {
        requestedViews = List.copyOf(requestedViews);
    }

    /** The client's henkilötunnus in its canonical form, when the request names a valid one. */
    public Optional<String> validClient() {
        return clientId != null && PersonalIdentityCode.isValid(clientId)
                ? Optional.of(PersonalIdentityCode.parse(clientId).value()) : Optional.empty();
    }
}
