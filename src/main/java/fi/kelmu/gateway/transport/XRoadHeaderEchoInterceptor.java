package fi.kelmu.gateway.transport;

import fi.kelmu.gateway.request.GatewayRequest;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.namespace.QName;
import org.apache.cxf.binding.soap.SoapHeader;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.headers.Header;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.message.Message;
import org.apache.cxf.message.MessageUtils;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import fi.kelmu.gateway.xml.Dom;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * X-Road message protocol: the response carries every request header, in the order and with the values
 * received (without the Id attributes the request signature referenced them by), followed by {@code requestHash}; a fault does too, whenever the request was parsed that far.
 * An answer that carries client data then has the receipt of its access record ({@link AccessReceiptHeader}).
 * Also returns the correlation id as an HTTP header.
 */
public final class XRoadHeaderEchoInterceptor extends AbstractPhaseInterceptor<SoapMessage> {

    public XRoadHeaderEchoInterceptor() {
        super(Phase.PRE_PROTOCOL);
    }

    @Override
    public void handleMessage(SoapMessage message) throws Fault {
        addCorrelationHeader(message);
        GatewayRequest request = CorrelationId.request(message);
        List<Element> echo = request.validatedHeaders().map(XRoadHeaders::headersToEcho)
                .orElseGet(() -> receivedHeaders(message));
        List<Header> out = message.getHeaders();
        for (Element element : echo) {
            QName name = new QName(element.getNamespaceURI(), element.getLocalName());
            Element copy = (Element) element.cloneNode(true);
            // the request signature's reference ids are no header values: an answer keeps only the ids its own
            // signature gives, so that a verifier looking an Id up by its local name finds the answer's
            copy.removeAttributeNS(Dom.WSU_NS, "Id");
            copy.removeAttributeNS(null, "Id");
            out.add(new SoapHeader(name, copy));
        }
        if (request.requestHash() != null) {
            out.add(new SoapHeader(XRoadHeaders.REQUEST_HASH, requestHash(request.requestHash())));
        }
        // an answer with client data: the receipt of its access record (a fault carries no data, so no receipt)
        if (!MessageUtils.isFault(message)) {
            request.receipt().ifPresent(receipt -> out.add(new SoapHeader(AccessReceiptHeader.QNAME,
                    AccessReceiptHeader.element(Dom.newDocument(), receipt))));
        }
    }

    /**
     * The request's headers as received, for a fault raised before they were read from the verified message: the
     * caller can match the fault to its request. Echoing them vouches for nothing but that they were received,
     * which the signed requestHash states too.
     */
    private static List<Element> receivedHeaders(SoapMessage message) {
        Element header = RequestDocument.header(message);
        return header == null ? List.of() : Dom.children(header).stream()
                .filter(e -> !Dom.WSSE_NS.equals(e.getNamespaceURI())).toList();
    }

    private static Element requestHash(String base64) {
        Document doc = Dom.newDocument();
        Element element = doc.createElementNS(XRoadHeaders.NS, "xrd:requestHash");
        element.setAttribute("algorithmId", RequestCaptureInterceptor.REQUEST_HASH_ALGORITHM);
        element.setTextContent(base64);
        return element;
    }

    /** The response's HTTP headers are ours alone: nothing of the request or of the route leaks into them. */
    private static void addCorrelationHeader(SoapMessage message) {
        Map<String, List<String>> protocolHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        protocolHeaders.put(CorrelationId.HTTP_HEADER, new ArrayList<>(List.of(CorrelationId.of(message))));
        message.put(Message.PROTOCOL_HEADERS, protocolHeaders);
    }
}
