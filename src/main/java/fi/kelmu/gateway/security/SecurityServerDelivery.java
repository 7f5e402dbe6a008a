package fi.kelmu.gateway.security;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.xml.Dom;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Message security in X-Road mode (docs/security.md, "Behind an X-Road security server"): the gateway serves
 * Kela's security server, which has verified the client security server's signature over the whole message and
 * sends it on as plain SOAP over TLS. A request is believed only when its TLS client certificate is exactly one of
 * the configured security servers' certificates (pinned, as X-Road pins an information system's TLS certificate),
 * valid now. A {@code wsse:Security} header is refused: behind X-Road the security servers sign, and a signature
 * the gateway would not check must not look as if it had been.
 */
public final class SecurityServerDelivery {

    private final Map<String, X509Certificate> pinned;
    private final Clock clock;

    /** @param securityServers the TLS certificates of the security servers allowed to deliver requests */
    public SecurityServerDelivery(List<X509Certificate> securityServers, Clock clock) {
        if (securityServers.isEmpty()) {
            throw new IllegalArgumentException("no security server is configured");
        }
        this.pinned = securityServers.stream().collect(Collectors.toUnmodifiableMap(CertificateTrust::fingerprint,
                Function.identity(), (a, b) -> a));
        this.clock = clock;
    }

    /**
     * The message as delivered by a configured security server.
     *
     * @param tlsPeer the TLS client certificate of the connection, or null when there was none
     */
    public VerifiedMessage verify(Document document, X509Certificate tlsPeer) {
        X509Certificate server = requireSecurityServer(tlsPeer);
        Element envelope = document.getDocumentElement();
        if (envelope == null || !Dom.is(envelope, Dom.SOAP_NS, "Envelope")) {
            throw new GatewayException(FaultCode.INVALID_REQUEST, null, "the document is not a SOAP 1.1 Envelope");
        }
        if (document.getElementsByTagNameNS(Dom.WSSE_NS, "Security").getLength() > 0) {
            throw new GatewayException(FaultCode.SECURITY_HEADER_NOT_EXPECTED, null,
                    "a wsse:Security header in a request delivered by security server " + CertificateTrust.describe(server));
        }
        return VerifiedMessage.deliveredBy(server, envelope, clock.instant());
    }

    /** The configured security server the connection's certificate is, valid now; otherwise the fault. */
    private X509Certificate requireSecurityServer(X509Certificate tlsPeer) {
        if (tlsPeer == null) {
            throw new GatewayException(FaultCode.UNTRUSTED_SECURITY_SERVER, null, "no TLS client certificate");
        }
        X509Certificate server = pinned.get(CertificateTrust.fingerprint(tlsPeer));
        if (server == null) {
            throw new GatewayException(FaultCode.UNTRUSTED_SECURITY_SERVER, null, "TLS client certificate "
                    + CertificateTrust.describe(tlsPeer) + " is not a configured security server's");
        }
        try {
            server.checkValidity(Date.from(clock.instant()));
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new GatewayException(FaultCode.UNTRUSTED_SECURITY_SERVER, null, "security server certificate "
                    + CertificateTrust.describe(server) + " is not valid now: " + e.getMessage());
        }
        return server;
    }
}
