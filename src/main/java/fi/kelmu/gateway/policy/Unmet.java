package fi.kelmu.gateway.policy;

import fi.kelmu.gateway.fault.GatewayException;

/**
 * One condition of access that a request does not meet: what it is, the code it concerns (a purpose, a
 * mandate, a view, an organisation type), the explanation the self-check gives (R-MAND-5), and the fault a
 * data request is refused with.
 */
public record Unmet(Condition condition, String code, String explanation, GatewayException refusal) {
}
