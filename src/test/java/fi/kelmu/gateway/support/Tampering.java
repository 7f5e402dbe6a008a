package fi.kelmu.gateway.support;

import static fi.kelmu.gateway.support.TestData.BENEFIT_NS;

import fi.kelmu.gateway.xml.Dom;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * What an attacker does to a signed request, in place, for the tests that prove each is refused: through
 * the whole gateway ({@code MessageSecurityTest}) and at the verifier ({@code MessageSignatureVerifierTest}).
 * Each method returns the document it changed.
 */
public final class Tampering {

    /** A client other than the fixtures' (lives in Vantaa): what a forged body asks about instead. */
    public static final String FORGED_CLIENT = TestData.LIVES_IN_VANTAA;

    private Tampering() {
    }

    /**
     * Signature wrapping: the signed Body, with its Id, moved under a wrapper element in the Header, and an
     * unsigned copy without Id that asks about {@link #FORGED_CLIENT} put where the Body belongs.
     */
    public static Document signedBodyMovedUnderAHeaderWrapper(Document signed) {
        Element envelope = signed.getDocumentElement();
        Element body = first(signed, Dom.SOAP_NS, "Body");
        Element wrapper = signed.createElementNS("urn:attacker", "a:Wrapper");
        first(signed, Dom.SOAP_NS, "Header").appendChild(wrapper);
        envelope.removeChild(body);
        wrapper.appendChild(body);
        Element forged = (Element) body.cloneNode(true);
        forged.removeAttributeNS(Dom.WSU_NS, "Id");
        forged.getElementsByTagNameNS(BENEFIT_NS, "clientId").item(0).setTextContent(FORGED_CLIENT);
        envelope.appendChild(forged);
        return signed;
    }

    /**
     * Signature wrapping of a header: the signed {@code client} header moved under a wrapper element, and an
     * unsigned copy without Id, naming another subsystem, put in its place.
     */
    public static Document signedClientHeaderMovedUnderAWrapper(Document signed) {
        Element header = first(signed, Dom.SOAP_NS, "Header");
        Element client = first(signed, XRoadHeaders.NS, "client");
        Element wrapper = signed.createElementNS("urn:attacker", "a:Wrapper");
        header.insertBefore(wrapper, client);
        Element forged = (Element) client.cloneNode(true);
        forged.removeAttributeNS(Dom.WSU_NS, "Id");
        forged.getElementsByTagNameNS(XRoadHeaders.ID_NS, "subsystemCode").item(0).setTextContent("forged");
        header.removeChild(client);
        wrapper.appendChild(client);
        header.insertBefore(forged, wrapper);
        return signed;
    }

    /** A decoy element in the Header carrying the signed Body's Id, for a resolver that takes the first. */
    public static Document decoyWithTheBodysId(Document signed) {
        Element decoy = signed.createElementNS("urn:attacker", "a:Decoy");
        decoy.setAttributeNS(Dom.WSU_NS, "wsu:Id", first(signed, Dom.SOAP_NS, "Body").getAttributeNS(Dom.WSU_NS, "Id"));
        first(signed, Dom.SOAP_NS, "Header").appendChild(decoy);
        return signed;
    }

    /** The signed Body with another Id than the one its reference names. */
    public static Document bodyIdChanged(Document signed) {
        first(signed, Dom.SOAP_NS, "Body").setAttributeNS(Dom.WSU_NS, "wsu:Id", "id-forged");
        return signed;
    }

    /** The Security header without its Timestamp. */
    public static Document withoutTimestamp(Document signed) {
        Element timestamp = first(signed, Dom.WSU_NS, "Timestamp");
        timestamp.getParentNode().removeChild(timestamp);
        return signed;
    }

    /** The signature method changed to HMAC-SHA256 (a key the verifier would have to guess; truncation). */
    public static Document hmacSignatureMethod(Document signed) {
        first(signed, Dom.DS_NS, "SignatureMethod").setAttribute("Algorithm",
                "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256");
        return signed;
    }

    /** An XSLT transform put first in the first reference: attacker-chosen code run on the document. */
    public static Document xsltTransform(Document signed) {
        Element transforms = first(signed, Dom.DS_NS, "Transforms");
        Element xslt = signed.createElementNS(Dom.DS_NS, "ds:Transform");
        xslt.setAttribute("Algorithm", "http://www.w3.org/TR/1999/REC-xslt-19991116");
        Element stylesheet = signed.createElementNS("http://www.w3.org/1999/XSL/Transform", "xsl:stylesheet");
        stylesheet.setAttribute("version", "1.0");
        xslt.appendChild(stylesheet);
        transforms.insertBefore(xslt, transforms.getFirstChild());
        return signed;
    }

    /** The first element {@code ns}:{@code localName} anywhere in the document. */
    public static Element first(Document doc, String ns, String localName) {
        return (Element) doc.getElementsByTagNameNS(ns, localName).item(0);
    }
}
