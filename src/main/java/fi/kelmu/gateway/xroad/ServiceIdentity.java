package fi.kelmu.gateway.xroad;

/**
 * Who this gateway is in X-Road: the part of the {@code service} header that must address it.
 * A request whose service header names another provider is refused, not guessed at.
 */
public record ServiceIdentity(String xRoadInstance, String memberClass, String memberCode, String subsystemCode,
        String serviceVersion) {

    public boolean addresses(XRoadIdentifier service) {
        return xRoadInstance.equals(service.xRoadInstance())
                && memberClass.equals(service.memberClass())
                && memberCode.equals(service.memberCode())
                && java.util.Objects.equals(emptyToNull(subsystemCode), service.subsystemCode());
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
