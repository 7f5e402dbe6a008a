package fi.kelmu.gateway.contract;

import static fi.kelmu.gateway.support.TestData.HELSINKI;
import static fi.kelmu.gateway.support.TestData.HELSINKI_USER;
import static fi.kelmu.gateway.support.TestData.LIVES_IN_HELSINKI;
import static fi.kelmu.gateway.support.TestData.LIVES_IN_VANTAA;
import static fi.kelmu.gateway.support.TestData.VANTAA_KERAVA;
import static fi.kelmu.gateway.support.TestData.VANTAA_KERAVA_USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.contract.access.service.v1.AccessPort;
import fi.kelmu.contract.access.service.v1.AccessService;
import fi.kelmu.contract.access.v1.CheckAccess;
import fi.kelmu.contract.access.v1.CheckAccessResponse;
import fi.kelmu.contract.benefit.service.v1.BenefitInformationPort;
import fi.kelmu.contract.benefit.service.v1.BenefitInformationService;
import fi.kelmu.contract.benefit.v1.GetBasicSocialAssistance;
import fi.kelmu.contract.benefit.v1.GetBasicSocialAssistanceResponse;
import fi.kelmu.contract.benefit.v1.GetBenefitData;
import fi.kelmu.contract.benefit.v1.GetBenefitDataResponse;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import fi.kelmu.gateway.security.OrganisationIdentity;
import fi.kelmu.gateway.support.TestData;
import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.StockClients;
import jakarta.xml.ws.BindingProvider;
import java.net.URL;
import java.util.List;
import org.apache.cxf.ws.security.wss4j.WSS4JInInterceptor;
import org.apache.cxf.ws.security.wss4j.WSS4JOutInterceptor;
import org.apache.wss4j.dom.WSConstants;
import org.apache.wss4j.dom.engine.WSSecurityEngineResult;
import org.apache.wss4j.dom.handler.WSHandlerConstants;
import org.apache.wss4j.dom.handler.WSHandlerResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A stock client: CXF's own {@link WSS4JOutInterceptor} at its defaults (mustUnderstand on the Security header,
 * its own Id and transform style, Timestamp of 300 s), configured only with what an integrator sets from
 * docs/security.md: the key store, the parts to sign (Body, Timestamp, the X-Road headers), SHA-256 and the
 * BinarySecurityToken reference. Every operation of every service answers, and each answer verifies with a stock
 * {@link WSS4JInInterceptor} that trusts only the CA; an organisation signing with an EC key instead of RSA too.
 */
class StockClientTest {

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox().build();
    private static BenefitInformationService benefitService;
    private static AccessService accessService;

    @BeforeAll
    static void buildClientsFromTheServedWsdl() throws Exception {
        benefitService = new BenefitInformationService(new URL(GATEWAY.serviceUrl() + "?wsdl"));
        accessService = new AccessService(new URL(GATEWAY.accessServiceUrl() + "?wsdl"));
    }

    @Test
    void getBenefitDataAnswersAStockClientAndTheAnswerVerifies() {
        BenefitInformationPort port = benefitService.getBenefitInformationPort();
        stock(port, VANTAA_KERAVA, "getBenefitData", VANTAA_KERAVA_USER);
        GetBenefitData request = new GetBenefitData();
        request.setClientId(LIVES_IN_VANTAA);
        request.setPurpose("MUUT_ETUUDET");

        GetBenefitDataResponse response = port.getBenefitData(request);

        assertEquals(LIVES_IN_VANTAA, response.getClientId());
        assertAnswerVerified(port);
    }

    @Test
    void aStockClientSigningWithAnEcKeyIsAnsweredAndItsEcSignedAnswerVerifies() {
        BenefitInformationPort port = benefitService.getBenefitInformationPort();
        stock(port, VANTAA_KERAVA, "getBenefitData", VANTAA_KERAVA_USER, Signing.ecKeyStoreIssuedByCa(VANTAA_KERAVA),
                "key", WSConstants.ECDSA_SHA256);
        GetBenefitData request = new GetBenefitData();
        request.setClientId(LIVES_IN_VANTAA);
        request.setPurpose("MUUT_ETUUDET");

        assertEquals(LIVES_IN_VANTAA, port.getBenefitData(request).getClientId());
        assertEquals("EC", assertAnswerVerified(port).getPublicKey().getAlgorithm(),
                "answered in the family the request was signed with");
    }

    @Test
    void getBasicSocialAssistanceAnswersAStockClientAndTheAnswerVerifies() {
        BenefitInformationPort port = benefitService.getBenefitInformationPort();
        stock(port, HELSINKI, "getBasicSocialAssistance", HELSINKI_USER);
        GetBasicSocialAssistance request = new GetBasicSocialAssistance();
        request.setClientId(LIVES_IN_HELSINKI);
        request.setPurpose("TOIMEENTULOTUKI");

        GetBasicSocialAssistanceResponse response = port.getBasicSocialAssistance(request);

        assertEquals(LIVES_IN_HELSINKI, response.getClientId());
        assertAnswerVerified(port);
    }

    @Test
    void checkAccessAnswersAStockClientAndTheAnswerVerifies() {
        AccessPort port = accessService.getAccessPort();
        stock(port, VANTAA_KERAVA, "checkAccess", VANTAA_KERAVA_USER);
        CheckAccess request = new CheckAccess();
        request.setPurpose("MUUT_ETUUDET");

        CheckAccessResponse response = port.checkAccess(request);

        assertTrue(response.getPurposeCheck().isAllowed());
        assertAnswerVerified(port);
    }

    private static void stock(Object port, String memberCode, String serviceCode, String user) {
        stock(port, memberCode, serviceCode, user, Signing.keyStoreOf(memberCode), memberCode, WSConstants.RSA_SHA256);
    }

    private static void stock(Object port, String memberCode, String serviceCode, String user, KeyStore keyStore,
            String alias, String signatureAlgorithm) {
        StockClients.signAndVerify(port, memberCode, serviceCode, user, keyStore, alias, signatureAlgorithm);
    }

    /** The stock in-interceptor verified the answer's signature, by the gateway's certificate, which it returns. */
    private static X509Certificate assertAnswerVerified(Object port) {
        @SuppressWarnings("unchecked")
        List<WSHandlerResult> results = (List<WSHandlerResult>) ((BindingProvider) port).getResponseContext()
                .get(WSHandlerConstants.RECV_RESULTS);
        assertNotNull(results, "the stock WSS4JInInterceptor processed the answer");
        List<WSSecurityEngineResult> signatures = results.get(0).getActionResults().get(WSConstants.SIGN);
        assertNotNull(signatures, "the answer is signed");
        assertFalse(signatures.isEmpty());
        X509Certificate certificate = (X509Certificate) signatures.get(0).get(WSSecurityEngineResult.TAG_X509_CERTIFICATE);
        assertTrue(OrganisationIdentity.businessIdOf(certificate).orElseThrow().equals(TestData.KELA),
                "signed by the gateway's key: " + certificate.getSubjectX500Principal());
        return certificate;
    }
}
