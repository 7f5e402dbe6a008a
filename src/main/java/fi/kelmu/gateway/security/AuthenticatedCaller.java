package fi.kelmu.gateway.security;

import fi.kelmu.gateway.registry.Organisation;
import org.apache.cxf.message.Message;

/** The organisation a request's signature proves, and what the signature covers; kept on the CXF exchange. */
public record AuthenticatedCaller(Organisation organisation, VerifiedMessage message) {

    private static final String KEY = AuthenticatedCaller.class.getName();

    public void attachTo(Message cxfMessage) {
        cxfMessage.getExchange().put(KEY, this);
    }

    /** The caller of the request {@code cxfMessage} belongs to, or null before authentication. */
    public static AuthenticatedCaller of(Message cxfMessage) {
        return cxfMessage.getExchange() == null ? null : (AuthenticatedCaller) cxfMessage.getExchange().get(KEY);
    }
}
