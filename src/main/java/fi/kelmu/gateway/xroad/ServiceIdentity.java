package fi.kelmu.gateway.xroad;

/**
 * Who this gateway is in X-Road: the part of the {@code service} header that must address it.
 * A request whose service header names another provider is refused, not guessed at.
 *
 * @param serviceVersion         the version served, which a request's serviceVersion must equal when it names one
 * @param serviceVersionRequired whether a request must name it ({@code kelmu.xroad.require-service-version})
 */
public record ServiceIdentity(String xRoadInstance, String memberClass, String memberCode, String subsystemCode,
        String serviceVersion, boolean serviceVersionRequired) {

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
