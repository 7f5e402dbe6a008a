package fi.kelmu.gateway.security;

import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.VALID_REQUEST;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.xml.Dom;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The answer is signed in the family the request was signed with, so that a stack that verifies only its own
 * family can verify it: the sandbox gateway holds an EC key (the first) and an RSA key.
 */
class AnswerSigningFamilyTest {

    private static final String RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    private static final String ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox().build();

    @Test
    void anRsaSignedRequestGetsAnRsaSignedAnswer() throws Exception {
        Document answer = answerTo(Signing.signedFixture(VALID_REQUEST, HVA));
        assertEquals(RSA_SHA256, signatureMethod(answer));
        assertEquals("RSA", signingCertificate(answer).getPublicKey().getAlgorithm());
    }

    @Test
    void anEcSignedRequestGetsAnEcSignedAnswer() throws Exception {
        Document answer = answerTo(Signing.signedFixture(VALID_REQUEST, Signing.ecSignerIssuedByCa(HVA)));
        assertEquals(ECDSA_SHA256, signatureMethod(answer));
        assertEquals("EC", signingCertificate(answer).getPublicKey().getAlgorithm());
    }

    @Test
    void aRequestRefusedBeforeItsSignatureWasReadGetsTheFirstKey() {
        SoapHttp.Response response = SoapHttp.post(GATEWAY.serviceUrl(), SoapHttp.fixture(VALID_REQUEST), null);
        assertEquals(500, response.status());
        assertEquals(ECDSA_SHA256, signatureMethod(SoapHttp.parse(response.body())));
    }

    private static Document answerTo(byte[] request) {
        SoapHttp.Response response = SoapHttp.post(GATEWAY.serviceUrl(), request, null);
        assertEquals(200, response.status(), response.bodyText());
        return SoapHttp.parse(response.body());
    }

    private static String signatureMethod(Document answer) {
        return ((Element) answer.getElementsByTagNameNS(Dom.DS_NS, "SignatureMethod").item(0)).getAttribute("Algorithm");
    }

    private static X509Certificate signingCertificate(Document answer) throws Exception {
        String token = answer.getElementsByTagNameNS(Dom.WSSE_NS, "BinarySecurityToken").item(0).getTextContent();
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Base64.getMimeDecoder().decode(token)));
    }
}
