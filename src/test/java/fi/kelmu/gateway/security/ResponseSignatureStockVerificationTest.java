package fi.kelmu.gateway.security;

import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.VALID_REQUEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.sandbox.SandboxPki;
import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.support.TestGateway;
import fi.kelmu.gateway.xml.Dom;
import java.io.ByteArrayInputStream;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.apache.wss4j.common.crypto.Merlin;
import org.apache.wss4j.common.ext.WSSecurityException;
import org.apache.wss4j.dom.WSConstants;
import org.apache.wss4j.dom.engine.WSSecurityEngine;
import org.apache.wss4j.dom.engine.WSSecurityEngineResult;
import org.apache.wss4j.dom.handler.WSHandlerResult;
import org.apache.xml.security.signature.XMLSignature;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.w3c.dom.Text;

/**
 * An answer the sandbox gateway signs with its EC key (by BouncyCastle, docs/security.md) verifies with stock
 * verifiers on the JVM's default providers: plain Santuario ({@link XMLSignature#checkSignatureValue}), WSS4J's
 * engine at its defaults (what CXF's {@code WSS4JInInterceptor} runs; {@code StockClientTest} runs the interceptor
 * itself), and the JDK's own P1363 ECDSA over the canonical SignedInfo. Its SignatureValue is XML-DSig's r||s, 64
 * bytes for P-256, not DER; a tampered answer fails every one of them.
 */
class ResponseSignatureStockVerificationTest {

    private static final String ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox().build();

    @BeforeAll
    static void initSantuario() {
        org.apache.xml.security.Init.init();
    }

    @Test
    void anEcSignedAnswerVerifiesWithStockSantuario() throws Exception {
        byte[] answer = ecSignedAnswer();

        Document document = SoapHttp.parse(answer);
        XMLSignature signature = santuarioSignature(document);

        assertEquals(ECDSA_SHA256, signature.getSignedInfo().getSignatureMethodURI());
        assertTrue(signature.checkSignatureValue(signingCertificate(document)),
                "plain Santuario, default providers, verifies SignatureValue and every reference");
    }

    @Test
    void anAnswerRefusedBeforeItsSignatureWasReadVerifiesToo() throws Exception {
        SoapHttp.Response response = SoapHttp.post(GATEWAY.serviceUrl(), SoapHttp.fixture(VALID_REQUEST), null);
        assertEquals(500, response.status());

        Document document = SoapHttp.parse(response.body());
        XMLSignature signature = santuarioSignature(document);

        assertEquals(ECDSA_SHA256, signature.getSignedInfo().getSignatureMethodURI(), "the first key, EC");
        assertTrue(signature.checkSignatureValue(signingCertificate(document)));
    }

    @Test
    void theSignatureValueIsXmlDsigsRAndSOf64BytesWhichTheJdkVerifies() throws Exception {
        Document document = SoapHttp.parse(ecSignedAnswer());
        XMLSignature signature = santuarioSignature(document);
        byte[] value = signatureValue(document);

        assertEquals(64, value.length, "r||s of P-256 (DER would be 70 to 72 bytes, starting 0x30)");
        Signature jdk = Signature.getInstance("SHA256withECDSAinP1363Format");
        jdk.initVerify(signingCertificate(document).getPublicKey());
        jdk.update(signature.getSignedInfo().getCanonicalizedOctetStream());
        assertTrue(jdk.verify(value), "the JDK (" + jdk.getProvider().getName() + ") verifies it as P1363");
    }

    @Test
    void anEcSignedAnswerVerifiesWithWss4jsEngineAtItsDefaults() throws Exception {
        WSHandlerResult result = new WSSecurityEngine().processSecurityHeader(SoapHttp.parse(ecSignedAnswer()), null,
                null, gatewayTrust());

        List<WSSecurityEngineResult> signatures = result.getActionResults().get(WSConstants.SIGN);
        assertNotNull(signatures);
        X509Certificate certificate = (X509Certificate) signatures.get(0).get(WSSecurityEngineResult.TAG_X509_CERTIFICATE);
        assertEquals("EC", certificate.getPublicKey().getAlgorithm());
    }

    @Test
    void aTamperedAnswerFailsTheStockVerifiers() throws Exception {
        byte[] answer = ecSignedAnswer();

        Document bodyChanged = SoapHttp.parse(answer);
        changeFirstTextOfBody(bodyChanged);
        assertFalse(santuarioSignature(bodyChanged).checkSignatureValue(signingCertificate(bodyChanged)),
                "a changed Body fails its reference");
        Document bodyChangedAgain = SoapHttp.parse(answer);
        changeFirstTextOfBody(bodyChangedAgain);
        assertThrows(WSSecurityException.class, () -> new WSSecurityEngine().processSecurityHeader(bodyChangedAgain,
                null, null, gatewayTrust()));

        Document valueChanged = SoapHttp.parse(answer);
        byte[] value = signatureValue(valueChanged);
        value[10] ^= 0x01;
        signatureValueElement(valueChanged).setTextContent(Base64.getEncoder().encodeToString(value));
        assertFalse(santuarioSignature(valueChanged).checkSignatureValue(signingCertificate(valueChanged)),
                "a changed SignatureValue fails");
        Document valueChangedAgain = SoapHttp.parse(answer);
        signatureValueElement(valueChangedAgain).setTextContent(Base64.getEncoder().encodeToString(value));
        assertThrows(WSSecurityException.class, () -> new WSSecurityEngine().processSecurityHeader(valueChangedAgain,
                null, null, gatewayTrust()));
    }

    private static byte[] ecSignedAnswer() {
        SoapHttp.Response response = SoapHttp.post(GATEWAY.serviceUrl(),
                Signing.signedFixture(VALID_REQUEST, Signing.ecSignerIssuedByCa(HVA)), null);
        assertEquals(200, response.status(), response.bodyText());
        return response.body();
    }

    /** The answer's ds:Signature for plain Santuario, the wsu:Ids it references registered as Ids. */
    private static XMLSignature santuarioSignature(Document document) throws Exception {
        NodeList all = document.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element element = (Element) all.item(i);
            if (element.hasAttributeNS(Dom.WSU_NS, "Id")) {
                element.setIdAttributeNS(Dom.WSU_NS, "Id", true);
            }
        }
        Element signature = (Element) document.getElementsByTagNameNS(Dom.DS_NS, "Signature").item(0);
        return new XMLSignature(signature, "");
    }

    private static Element signatureValueElement(Document document) {
        return (Element) document.getElementsByTagNameNS(Dom.DS_NS, "SignatureValue").item(0);
    }

    private static byte[] signatureValue(Document document) {
        return Base64.getMimeDecoder().decode(signatureValueElement(document).getTextContent());
    }

    private static X509Certificate signingCertificate(Document document) throws Exception {
        String token = document.getElementsByTagNameNS(Dom.WSSE_NS, "BinarySecurityToken").item(0).getTextContent();
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Base64.getMimeDecoder().decode(token)));
    }

    private static Merlin gatewayTrust() {
        Merlin trust = new Merlin();
        trust.setTrustStore(SecurityMaterial.keyStore(TestGateway.pki().trustStore(), SandboxPki.PASSWORD));
        return trust;
    }

    private static void changeFirstTextOfBody(Document document) {
        Element body = Dom.firstChild(document.getDocumentElement(), Dom.SOAP_NS, "Body");
        Text text = firstText(body);
        assertNotNull(text, "the answer's Body has text");
        text.setData(text.getData() + "x");
    }

    private static Text firstText(org.w3c.dom.Node node) {
        for (org.w3c.dom.Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Text text && !text.getData().isBlank()) {
                return text;
            }
            Text inner = firstText(child);
            if (inner != null) {
                return inner;
            }
        }
        return null;
    }
}
