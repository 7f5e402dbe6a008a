package fi.kelmu.gateway.transport;

import fi.kelmu.gateway.mandate.MandateAssertion;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.namespace.QName;

/**
 * The inbound chain every service shares, in order (docs/architecture.md, "The inbound chain"): capture and
 * pre-scan the raw request, parse it into one DOM ({@link RequestDocument}), message security, CXF's schema
 * validation, then the X-Road header check against the body's operation; and, on the way out of a fault, the
 * record of a refusal it raised. One instance serves every endpoint, so they share one replay cache.
 */
public record InboundChain(RequestCaptureInterceptor capture, MessageSecurityInterceptor security,
        XRoadHeaderInterceptor headers, PreRouteRefusalInterceptor refusals) {

    /**
     * What a request signature covers besides Body and Timestamp: the X-Road headers present (the required ones and
     * the optional {@code issue} and {@code securityServer} when sent, {@link XRoadHeaders#REQUEST_HEADERS}) and, when
     * the request carries one, the MandateAssertion (so that it cannot be lifted into another message).
     */
    public static final List<QName> REQUEST_SIGNED_PARTS = Stream.concat(XRoadHeaders.REQUEST_HEADERS.stream(),
            Stream.of(MandateAssertion.QNAME)).toList();
}
