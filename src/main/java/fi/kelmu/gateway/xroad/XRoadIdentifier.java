package fi.kelmu.gateway.xroad;

/**
 * An X-Road client or service identifier as sent in the {@code client} and {@code service} headers: the parts as
 * sent, each null when absent, not yet checked ({@link XRoadHeaderReader#validate}).
 */
public record XRoadIdentifier(String objectType, String xRoadInstance, String memberClass, String memberCode,
        String subsystemCode, String serviceCode, String serviceVersion) {

    /** String form, e.g. {@code SUBSYSTEM:FI/MUN/0101263-6/sosiaalitoimi}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.valueOf(objectType)).append(':').append(xRoadInstance).append('/')
                .append(memberClass).append('/').append(memberCode);
        if (subsystemCode != null) {
            sb.append('/').append(subsystemCode);
        }
        if (serviceCode != null) {
            sb.append('/').append(serviceCode);
        }
        if (serviceVersion != null) {
            sb.append('/').append(serviceVersion);
        }
        return sb.toString();
    }
}
