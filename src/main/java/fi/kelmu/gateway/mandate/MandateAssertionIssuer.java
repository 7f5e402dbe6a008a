package fi.kelmu.gateway.mandate;

import fi.kelmu.gateway.security.AlgorithmPolicy;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.xml.security.exceptions.XMLSecurityException;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Issues signed mandate assertions (xsd/mandate-assertion.xsd): what a Suomi.fi-valtuudet style issuer
 * does. The gateway never issues them for itself; the client kit, the sandbox and the tests use this to
 * act as the issuer with the sandbox issuer key.
 */
public final class MandateAssertionIssuer {

    static final String WSU_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
    static final String SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";

    private final String issuerName;
    private final PrivateKey key;
    private final X509Certificate certificate;

    static {
        org.apache.xml.security.Init.init();
    }

    public MandateAssertionIssuer(String issuerName, PrivateKey key, X509Certificate certificate) {
        this.issuerName = issuerName;
        this.key = key;
        this.certificate = certificate;
    }

    /** A signed assertion as the root of a new document; import it into a SOAP Header to use it. */
    public Document issue(String user, String organisation, Collection<String> mandates, Instant notBefore,
            Instant notOnOrAfter) {
        Document doc = newDocument();
        String id = "ma-" + UUID.randomUUID();
        Element assertion = doc.createElementNS(MandateAssertion.NS, "ma:MandateAssertion");
        assertion.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:ma", MandateAssertion.NS);
        assertion.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:wsu", WSU_NS);
        assertion.setAttributeNS(WSU_NS, "wsu:Id", id);
        assertion.setIdAttributeNS(WSU_NS, "Id", true);
        doc.appendChild(assertion);
        child(assertion, "issuer", issuerName);
        child(assertion, "issueInstant", Instant.now().toString());
        child(assertion, "notBefore", notBefore.toString());
        child(assertion, "notOnOrAfter", notOnOrAfter.toString());
        child(assertion, "user", user);
        child(assertion, "organisation", organisation);
        for (String mandate : mandates) {
            child(assertion, "mandate", mandate);
        }
        sign(doc, assertion, id);
        return doc;
    }

    private void sign(Document doc, Element assertion, String id) {
        try {
            String method = "EC".equals(key.getAlgorithm())
                    ? "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
                    : "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
            XMLSignature signature = new XMLSignature(doc, "", method, AlgorithmPolicy.EXC_C14N);
            assertion.appendChild(signature.getElement());
            Transforms transforms = new Transforms(doc);
            transforms.addTransform(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
            transforms.addTransform(Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
            signature.addDocument("#" + id, transforms, SHA256);
            signature.addKeyInfo(certificate);
            signature.sign(key);
        } catch (XMLSecurityException e) {
            throw new IllegalStateException("signing the mandate assertion failed: " + e.getMessage(), e);
        }
    }

    private static void child(Element parent, String name, String text) {
        Element e = parent.getOwnerDocument().createElementNS(MandateAssertion.NS, "ma:" + name);
        e.setTextContent(text);
        parent.appendChild(e);
    }

    private static Document newDocument() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            return f.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }
}
