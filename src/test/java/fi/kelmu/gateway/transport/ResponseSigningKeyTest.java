package fi.kelmu.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.request.GatewayRequest;
import fi.kelmu.gateway.sandbox.SandboxPki;
import fi.kelmu.gateway.security.AnswerIds;
import fi.kelmu.gateway.security.GatewaySecurity.SigningKeyStore;
import fi.kelmu.gateway.security.SecurityMaterial;
import fi.kelmu.gateway.security.SigningProvider;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.support.TestGateway;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Security;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.wss4j.dom.WSConstants;
import org.bouncycastle.jcajce.provider.asymmetric.ec.BCECPrivateKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The keys answers are signed with are read and converted once, at start: the EC key becomes BouncyCastle's own
 * key object, handed out for every signature and signed with through {@link SigningProvider#provider()} (given the
 * JDK's key object, BouncyCastle would convert it and derive its tables again per signature); the RSA key stays
 * the JDK's, with the default providers. Nothing is installed in the JVM's provider list.
 */
class ResponseSigningKeyTest {

    private static SigningKeyStore ecKey;
    private static SigningKeyStore rsaKey;
    private static ResponseSigning signing;

    @BeforeAll
    static void loadTheSandboxGatewayKeys() {
        SandboxPki pki = TestGateway.pki();
        ecKey = new SigningKeyStore(SecurityMaterial.keyStore(pki.gatewayKeyStore(), SandboxPki.PASSWORD),
                SandboxPki.GATEWAY_ALIAS, SandboxPki.PASSWORD);
        rsaKey = new SigningKeyStore(SecurityMaterial.keyStore(pki.gatewayRsaKeyStore(), SandboxPki.PASSWORD),
                SandboxPki.GATEWAY_RSA_ALIAS, SandboxPki.PASSWORD);
        signing = ResponseSigning.of(List.of(ecKey, rsaKey), 300);
    }

    @Test
    void theEcKeyIsConvertedOnceIntoBouncyCastlesKeyAndThatObjectIsSignedWithEveryTime() throws Exception {
        ResponseSigning.PreparedKeyCrypto crypto = signing.cryptoOf(SandboxPki.GATEWAY_ALIAS);
        String password = new String(SandboxPki.PASSWORD);

        PrivateKey first = crypto.getPrivateKey(SandboxPki.GATEWAY_ALIAS, password);
        PrivateKey second = crypto.getPrivateKey(SandboxPki.GATEWAY_ALIAS, password);

        assertTrue(first instanceof BCECPrivateKey, "BouncyCastle's own key object: " + first.getClass().getName());
        assertSame(first, second, "converted once, the same object for every signature");
        assertSame(first, crypto.getPrivateKey(ecKey.certificate(), null), "by certificate too");
        assertSame(first, crypto.signingKey().key());
        assertEquals(((ECPrivateKey) ecKey.privateKey()).getS(), ((ECPrivateKey) first).getS(), "the same key");
        assertSame(SigningProvider.provider(), crypto.signingKey().provider());
    }

    @Test
    void theProviderAnswersTheNamesSantuarioAsksForWithBouncyCastle() throws Exception {
        for (String name : List.of("SHA256withECDSAinP1363Format", "SHA256withECDSA", "Ed25519")) {
            Signature signature = Signature.getInstance(name, SigningProvider.provider());
            assertEquals(SigningProvider.NAME, signature.getProvider().getName());
        }
        Signature p1363 = Signature.getInstance("SHA256withECDSAinP1363Format", SigningProvider.provider());
        p1363.initSign(signing.cryptoOf(SandboxPki.GATEWAY_ALIAS).signingKey().key());
        p1363.update(new byte[] {1, 2, 3});
        byte[] value = p1363.sign();
        assertEquals(64, value.length, "r||s of P-256, not DER");

        Signature jdk = Signature.getInstance("SHA256withECDSAinP1363Format");
        jdk.initVerify(ecKey.certificate().getPublicKey());
        jdk.update(new byte[] {1, 2, 3});
        assertTrue(jdk.verify(value), "the JDK verifies BouncyCastle's P1363 signature");
    }

    @Test
    void theRsaKeyStaysTheJdksWithTheDefaultProviders() throws Exception {
        ResponseSigning.PreparedKeyCrypto crypto = signing.cryptoOf(SandboxPki.GATEWAY_RSA_ALIAS);

        PrivateKey key = crypto.getPrivateKey(SandboxPki.GATEWAY_RSA_ALIAS, new String(SandboxPki.PASSWORD));

        assertTrue(key.getClass().getName().startsWith("sun.security."), key.getClass().getName());
        assertSame(key, crypto.getPrivateKey(SandboxPki.GATEWAY_RSA_ALIAS, new String(SandboxPki.PASSWORD)),
                "read once, not decrypted from the store per signature");
        assertNull(crypto.signingKey().provider(), "the JVM's default providers");
    }

    @Test
    void nothingIsInstalledInTheJvmsProviderList() throws Exception {
        assertNull(Security.getProvider(SigningProvider.NAME));
        assertEquals("SunEC", Signature.getInstance("SHA256withECDSA").getProvider().getName(),
                "every other JCA user still gets the JDK's ECDSA");
    }
    /** The answer's ids come from {@link AnswerIds}: unique within and across answers, NCNames, all resolved. */
    @Test
    void everyIdOfTwoSignedAnswersIsUniqueAndEveryReferenceNamesOne() throws Exception {
        Set<String> seen = new HashSet<>();
        for (int answer = 0; answer < 2; answer++) {
            Document document = SoapHttp.parse(("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                    + "<s:Header/><s:Body><a xmlns=\"urn:test\">answer</a></s:Body></s:Envelope>")
                    .getBytes(StandardCharsets.UTF_8));
            signing.sign(document, GatewayRequest.start());

            Set<String> ids = new HashSet<>();
            NodeList all = document.getElementsByTagNameNS("*", "*");
            for (int i = 0; i < all.getLength(); i++) {
                Element element = (Element) all.item(i);
                for (String id : List.of(element.getAttributeNS(WSConstants.WSU_NS, "Id"), element.getAttribute("Id"))) {
                    if (!id.isEmpty()) {
                        assertTrue(id.matches("[A-Za-z_][A-Za-z0-9_.-]*"), "an NCName: " + id);
                        assertTrue(ids.add(id), "unique within the answer: " + id);
                        assertTrue(seen.add(id), "unique across answers: " + id);
                    }
                }
            }
            NodeList references = document.getElementsByTagNameNS(WSConstants.SIG_NS, "Reference");
            assertTrue(references.getLength() >= 2, "the Body and the Timestamp at least");
            for (int i = 0; i < references.getLength(); i++) {
                String uri = ((Element) references.item(i)).getAttribute("URI");
                assertTrue(ids.contains(uri.substring(1)), "the reference names an id of the answer: " + uri);
            }
        }
    }
}
