package fi.kelmu.gateway.support;

import static fi.kelmu.gateway.support.TestData.BENEFIT_NS;
import static fi.kelmu.gateway.support.TestData.VALID_REQUEST;

import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.util.List;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * getBenefitData requests built from the valid HVA fixture ({@code get-benefit-data-hva.xml}) for any
 * organisation, user, client and purpose: the end-to-end tests change only what their case is about.
 */
public final class BenefitRequests {

    private BenefitRequests() {
    }

    /**
     * The fixture, with a fresh X-Road id, as {@code organisation}'s request for {@code user} (a henkilötunnus;
     * {@code FI} is prefixed) about {@code client} under {@code purpose}; it keeps the fixture's views
     * (BENEFIT_DECISIONS, PAYMENTS). Unsigned.
     */
    public static Document benefitData(String organisation, String user, String client, String purpose) {
        Document doc = Signing.freshId(SoapHttp.parse(SoapHttp.fixture(VALID_REQUEST)));
        Element xroadClient = (Element) doc.getElementsByTagNameNS(XRoadHeaders.NS, "client").item(0);
        xroadClient.getElementsByTagNameNS(XRoadHeaders.ID_NS, "memberCode").item(0).setTextContent(organisation);
        doc.getElementsByTagNameNS(XRoadHeaders.NS, "userId").item(0).setTextContent("FI" + user);
        doc.getElementsByTagNameNS(BENEFIT_NS, "clientId").item(0).setTextContent(client);
        doc.getElementsByTagNameNS(BENEFIT_NS, "purpose").item(0).setTextContent(purpose);
        return doc;
    }

    /** Replaces the request's views; none asks for every view the purpose allows. */
    public static Document withViews(Document doc, String... views) {
        Element operation = (Element) doc.getElementsByTagNameNS(BENEFIT_NS, "getBenefitData").item(0);
        for (Node view : List.copyOf(elements(operation, "view"))) {
            operation.removeChild(view);
        }
        for (String view : views) {
            Element e = doc.createElementNS(BENEFIT_NS, "bi:view");
            e.setTextContent(view);
            operation.appendChild(e);
        }
        return doc;
    }

    /** Signed by the sandbox key of the organisation the request names, as that organisation would send it. */
    public static byte[] signed(Document doc) {
        return Signing.sign(doc, Signing.signerOf(organisation(doc)));
    }

    public static String organisation(Document doc) {
        Element xroadClient = (Element) doc.getElementsByTagNameNS(XRoadHeaders.NS, "client").item(0);
        return xroadClient.getElementsByTagNameNS(XRoadHeaders.ID_NS, "memberCode").item(0).getTextContent();
    }

    public static String xroadId(Document doc) {
        return doc.getElementsByTagNameNS(XRoadHeaders.NS, "id").item(0).getTextContent();
    }

    /** The text of every {@code localName} element of the benefit namespace in a response, in order. */
    public static List<String> texts(Document response, String localName) {
        return elements(response.getDocumentElement(), localName).stream().map(Node::getTextContent).toList();
    }

    private static List<Element> elements(Element scope, String localName) {
        var nodes = scope.getElementsByTagNameNS(BENEFIT_NS, localName);
        java.util.ArrayList<Element> result = new java.util.ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            result.add((Element) nodes.item(i));
        }
        return result;
    }
}
