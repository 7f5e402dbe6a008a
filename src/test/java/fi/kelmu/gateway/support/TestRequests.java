package fi.kelmu.gateway.support;

import fi.kelmu.gateway.registry.Organisation;
import fi.kelmu.gateway.request.GatewayRequest;
import fi.kelmu.gateway.route.GatewayExchange;
import fi.kelmu.gateway.security.VerifiedMessage;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import fi.kelmu.gateway.xroad.XRoadIdentifier;
import fi.kelmu.gateway.xml.Dom;
import java.time.Instant;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/** Request contexts as the inbound chain would have established them, for tests that feed route steps. */
public final class TestRequests {

    private TestRequests() {
    }

    /**
     * A request the inbound chain accepted: signed by {@code caller} (no real signature: route steps never look
     * at it), X-Road id {@code id-1}, user {@code FI<user>}, for {@code operation}.
     */
    public static GatewayRequest authenticated(Organisation caller, String user, String operation) {
        GatewayRequest request = GatewayRequest.start();
        XRoadIdentifier client = new XRoadIdentifier("SUBSYSTEM", "FI", "MUN", caller.businessId(), "sote", null, null);
        XRoadIdentifier service = new XRoadIdentifier("SERVICE", "FI", "GOV", TestData.KELA, "kelmu", operation, "v1");
        request.authenticated(new VerifiedMessage(emptyEnvelope(), null, new byte[0], Instant.now(), null, Set.of()),
                new XRoadHeaders(client, service, "id-1", "FI" + user, "issue-1", "4.0", List.of()), caller);
        request.operation(operation);
        return request;
    }

    /** An Envelope with an empty Header and Body: a message that carries no MandateAssertion. */
    private static Element emptyEnvelope() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            Document doc = factory.newDocumentBuilder().newDocument();
            Element envelope = doc.createElementNS(Dom.SOAP_NS, "soap:Envelope");
            envelope.appendChild(doc.createElementNS(Dom.SOAP_NS, "soap:Header"));
            envelope.appendChild(doc.createElementNS(Dom.SOAP_NS, "soap:Body"));
            doc.appendChild(envelope);
            return envelope;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Camel exchange carrying such a request, as the route's first step binds it. */
    public static Exchange exchange(Organisation caller) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(GatewayExchange.REQUEST, authenticated(caller, "010594Y9032", "getBenefitData"));
        return exchange;
    }
}
