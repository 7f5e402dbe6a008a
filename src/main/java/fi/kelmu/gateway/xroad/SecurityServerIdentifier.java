package fi.kelmu.gateway.xroad;

/**
 * An X-Road security server as the {@code securityServer} header names it (objectType SERVER, the security server
 * targeting extension PR-TARGETSS): the server {@code serverCode} of the member that owns it.
 */
public record SecurityServerIdentifier(String xRoadInstance, String memberClass, String memberCode,
        String serverCode) {

    /** String form, e.g. {@code SERVER:FI/GOV/0246246-0/ss1}. */
    @Override
    public String toString() {
        return "SERVER:" + xRoadInstance + '/' + memberClass + '/' + memberCode + '/' + serverCode;
    }
}
