package fi.kelmu.gateway.fault;

/**
 * A request failed for a reason in the fault table. {@code callerDetail} is safe to show to the caller
 * (it only restates the caller's own input); {@code reason} is the precise cause and goes only to the log.
 */
public class GatewayException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final FaultCode faultCode;
    private final String callerDetail;

    public GatewayException(FaultCode faultCode, String callerDetail, String reason) {
        this(faultCode, callerDetail, reason, null);
    }

    public GatewayException(FaultCode faultCode, String callerDetail, String reason, Throwable cause) {
        super(reason, cause);
        this.faultCode = faultCode;
        this.callerDetail = callerDetail;
    }

    public FaultCode faultCode() {
        return faultCode;
    }

    /** Extra words for the caller, or null. */
    public String callerDetail() {
        return callerDetail;
    }
}
