package fi.kelmu.gateway.security;

import static fi.kelmu.gateway.support.TestData.BENEFIT_NS;
import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.xml.Dom.DS_NS;
import static fi.kelmu.gateway.xml.Dom.SOAP_NS;
import static fi.kelmu.gateway.xml.Dom.WSSE_NS;
import static fi.kelmu.gateway.xml.Dom.WSU_NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.sandbox.SandboxPki;
import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.support.TestGateway;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.apache.xml.security.Init;
import org.apache.xml.security.algorithms.MessageDigestAlgorithm;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Interoperability: a request whose WS-Security header is built by a second, independent implementation
 * (Apache Santuario's DOM signature API used directly, no WSS4J WSSec* classes, no {@link MessageSigner})
 * is accepted by the gateway, and the same message with SHA-1 is refused as a downgrade.
 */
class InteroperabilityTest {

    private static final String XMLNS_NS = "http://www.w3.org/2000/xmlns/";
    private static final String BASE64_BINARY =
            "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";
    private static final String X509V3 =
            "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3";
    private static final List<String> SIGNED_XROAD_HEADERS =
            List.of("client", "service", "id", "userId", "issue", "protocolVersion");
    private static final String SHA1_DIGEST = "http://www.w3.org/2000/09/xmldsig#sha1";

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox().build();

    @BeforeAll
    static void initSantuario() {
        // after the gateway: Santuario initialised first leaves WSS4J's error messages unresolved in this JVM
        Init.init();
    }

    @Test
    void requestSignedBySantuarioDirectlyWithRsaSha256IsAcceptedAndAnswered() throws Exception {
        byte[] request = signIndependently(XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256,
                MessageDigestAlgorithm.ALGO_ID_DIGEST_SHA256);

        SoapHttp.Response response = SoapHttp.post(GATEWAY.serviceUrl(), request, BENEFIT_NS + "#getBenefitData");

        assertEquals(200, response.status(), response.bodyText());
        Document doc = response.document();
        assertEquals("010180-9026", SoapHttp.text(doc, BENEFIT_NS, "clientId"));
        assertEquals(2, SoapHttp.count(doc, BENEFIT_NS, "decision"));
        assertEquals(3, SoapHttp.count(doc, BENEFIT_NS, "payment"));
    }

    @Test
    void sameIndependentlySignedRequestWithSha1IsRefusedNamingTheAlgorithm() throws Exception {
        byte[] request = signIndependently(XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA1, SHA1_DIGEST);
        assertTrue(verifiesLocally(request), "the SHA-1 signature is itself valid: only its algorithm is refused");

        SoapHttp.Response response = SoapHttp.post(GATEWAY.serviceUrl(), request, BENEFIT_NS + "#getBenefitData");

        assertEquals(500, response.status(), response.bodyText());
        assertNotNull(response.faultCode(), response.bodyText());
        assertEquals("soap:Client.AlgorithmNotAllowed", response.faultCode().strip());
    }

    /**
     * The fixture with a fresh X-Road message id, a WS-Security header (BinarySecurityToken, Timestamp,
     * Signature) built element by element and signed with Santuario over the Body, the Timestamp and the six
     * X-Road headers, each reference with exclusive C14N as its only transform.
     */
    private static byte[] signIndependently(String signatureMethod, String digestMethod) throws Exception {
        KeyStore keyStore = SecurityMaterial.keyStore(TestGateway.pki().organisationKeyStore(HVA), SandboxPki.PASSWORD);
        PrivateKey key = (PrivateKey) keyStore.getKey(HVA, SandboxPki.PASSWORD);
        X509Certificate certificate = (X509Certificate) keyStore.getCertificate(HVA);
        assertNotNull(key, "sandbox key of " + HVA);

        // 1. the unsigned message: fresh id, wsu:Ids, Security header with token and timestamp
        Document draft = SoapHttp.parse(SoapHttp.fixture("get-benefit-data-hva.xml"));
        Element envelope = draft.getDocumentElement();
        Element header = child(envelope, SOAP_NS, "Header");
        Element body = child(envelope, SOAP_NS, "Body");
        child(header, XRoadHeaders.NS, "id").setTextContent(UUID.randomUUID().toString());

        setWsuId(body, "Body-" + UUID.randomUUID());
        for (String name : SIGNED_XROAD_HEADERS) {
            setWsuId(child(header, XRoadHeaders.NS, name), "XRoad-" + name + "-" + UUID.randomUUID());
        }

        Element security = draft.createElementNS(WSSE_NS, "wsse:Security");
        security.setAttributeNS(XMLNS_NS, "xmlns:wsse", WSSE_NS);
        header.insertBefore(security, header.getFirstChild());

        String tokenId = "X509-" + UUID.randomUUID();
        Element token = draft.createElementNS(WSSE_NS, "wsse:BinarySecurityToken");
        token.setAttributeNS(XMLNS_NS, "xmlns:wsse", WSSE_NS);
        token.setAttributeNS(null, "EncodingType", BASE64_BINARY);
        token.setAttributeNS(null, "ValueType", X509V3);
        setWsuId(token, tokenId);
        token.setTextContent(Base64.getEncoder().encodeToString(certificate.getEncoded()));
        security.appendChild(token);

        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Element timestamp = draft.createElementNS(WSU_NS, "wsu:Timestamp");
        setWsuId(timestamp, "TS-" + UUID.randomUUID());
        Element created = draft.createElementNS(WSU_NS, "wsu:Created");
        created.setAttributeNS(XMLNS_NS, "xmlns:wsu", WSU_NS);
        created.setTextContent(now.toString());
        Element expires = draft.createElementNS(WSU_NS, "wsu:Expires");
        expires.setAttributeNS(XMLNS_NS, "xmlns:wsu", WSU_NS);
        expires.setTextContent(now.plus(5, ChronoUnit.MINUTES).toString());
        timestamp.appendChild(created);
        timestamp.appendChild(expires);
        security.appendChild(timestamp);

        // 2. serialise and re-parse, so that what is signed is exactly what the gateway will parse
        Document doc = SoapHttp.parse(serialise(draft));
        envelope = doc.getDocumentElement();
        header = child(envelope, SOAP_NS, "Header");
        body = child(envelope, SOAP_NS, "Body");
        security = child(header, WSSE_NS, "Security");
        timestamp = child(security, WSU_NS, "Timestamp");

        List<Element> signed = new ArrayList<>();
        signed.add(body);
        signed.add(timestamp);
        for (String name : SIGNED_XROAD_HEADERS) {
            signed.add(child(header, XRoadHeaders.NS, name));
        }
        for (Element element : signed) {
            element.setIdAttributeNS(WSU_NS, "Id", true);
        }
        child(security, WSSE_NS, "BinarySecurityToken").setIdAttributeNS(WSU_NS, "Id", true);

        // 3. the signature, by Santuario's own API
        XMLSignature signature = new XMLSignature(doc, "", signatureMethod,
                Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
        security.appendChild(signature.getElement());
        for (Element element : signed) {
            Transforms transforms = new Transforms(doc);
            transforms.addTransform(Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
            signature.addDocument("#" + element.getAttributeNS(WSU_NS, "Id"), transforms, digestMethod);
        }

        Element reference = doc.createElementNS(WSSE_NS, "wsse:Reference");
        reference.setAttributeNS(XMLNS_NS, "xmlns:wsse", WSSE_NS);
        reference.setAttributeNS(null, "URI", "#" + tokenId);
        reference.setAttributeNS(null, "ValueType", X509V3);
        Element tokenReference = doc.createElementNS(WSSE_NS, "wsse:SecurityTokenReference");
        tokenReference.setAttributeNS(XMLNS_NS, "xmlns:wsse", WSSE_NS);
        tokenReference.appendChild(reference);
        signature.getKeyInfo().addUnknownElement(tokenReference);

        signature.sign(key);
        return serialise(doc);
    }

    /** Santuario's own check of the message's signature value and reference digests (secure validation off). */
    private static boolean verifiesLocally(byte[] message) throws Exception {
        Document doc = SoapHttp.parse(message);
        Element header = child(doc.getDocumentElement(), SOAP_NS, "Header");
        Element security = child(header, WSSE_NS, "Security");
        List<Element> withIds = new ArrayList<>(List.of(child(doc.getDocumentElement(), SOAP_NS, "Body"),
                child(security, WSU_NS, "Timestamp")));
        for (String name : SIGNED_XROAD_HEADERS) {
            withIds.add(child(header, XRoadHeaders.NS, name));
        }
        withIds.forEach(e -> e.setIdAttributeNS(WSU_NS, "Id", true));
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Base64.getMimeDecoder().decode(
                        child(security, WSSE_NS, "BinarySecurityToken").getTextContent())));
        XMLSignature signature = new XMLSignature(child(security, DS_NS, "Signature"), "", false);
        return signature.checkSignatureValue(certificate);
    }

    private static void setWsuId(Element element, String id) {
        element.setAttributeNS(XMLNS_NS, "xmlns:wsu", WSU_NS);
        element.setAttributeNS(WSU_NS, "wsu:Id", id);
    }

    private static Element child(Element parent, String namespace, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && namespace.equals(e.getNamespaceURI()) && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        throw new AssertionError("no " + localName + " in " + parent.getNodeName());
    }

    private static byte[] serialise(Document document) throws Exception {
        var transformer = TransformerFactory.newInstance().newTransformer();
        transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        transformer.transform(new DOMSource(document), new StreamResult(out));
        return out.toByteArray();
    }
}
