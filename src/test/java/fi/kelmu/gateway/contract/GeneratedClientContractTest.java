package fi.kelmu.gateway.contract;

import static fi.kelmu.gateway.support.TestData.ESPOO;
import static fi.kelmu.gateway.support.TestData.ESPOO_USER;
import static fi.kelmu.gateway.support.TestData.HELSINKI;
import static fi.kelmu.gateway.support.TestData.HELSINKI_USER;
import static fi.kelmu.gateway.support.TestData.LIVES_IN_ESPOO;
import static fi.kelmu.gateway.support.TestData.LIVES_IN_HELSINKI;
import static fi.kelmu.gateway.support.TestData.LIVES_IN_VANTAA;
import static fi.kelmu.gateway.support.TestData.USER;
import static fi.kelmu.gateway.support.TestData.VANTAA_KERAVA;
import static fi.kelmu.gateway.support.TestData.VANTAA_KERAVA_USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.contract.benefit.service.v1.BenefitInformationPort;
import fi.kelmu.contract.benefit.service.v1.BenefitInformationService;
import fi.kelmu.contract.benefit.v1.BenefitView;
import fi.kelmu.contract.benefit.v1.GetBasicSocialAssistance;
import fi.kelmu.contract.benefit.v1.GetBasicSocialAssistanceResponse;
import fi.kelmu.contract.benefit.v1.GetBenefitData;
import fi.kelmu.contract.benefit.v1.GetBenefitDataResponse;
import fi.kelmu.gateway.transport.OutboundSigning;
import fi.kelmu.gateway.sandbox.SandboxPki;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.support.XRoadClientHeaders;
import org.apache.cxf.frontend.ClientProxy;
import jakarta.xml.ws.BindingProvider;
import jakarta.xml.ws.soap.SOAPFaultException;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.apache.cxf.headers.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real SOAP client generated from the WSDL, built from the WSDL the gateway serves, calls every
 * operation under every purpose of this version, as HVA, KUNTA and HELSINKI callers.
 */
class GeneratedClientContractTest {

    /** Vantaa-Kerava HVA, its demo user (sandbox mandate service) and a client living in Vantaa. */
    private static final String HVA = VANTAA_KERAVA;
    private static final String CLIENT = LIVES_IN_VANTAA;
    /** Espoo, its demo user and an Espoo resident. */
    private static final String KUNTA = ESPOO;
    private static final String ESPOO_CLIENT = LIVES_IN_ESPOO;
    /** Helsinki, its demo user and a Helsinki resident. */
    private static final String HELSINKI_CLIENT = LIVES_IN_HELSINKI;
    private static final Map<String, String> DEMO_USERS = Map.of(HVA, VANTAA_KERAVA_USER, KUNTA, ESPOO_USER,
            HELSINKI, HELSINKI_USER);
    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox().build();
    private static BenefitInformationService service;

    @BeforeAll
    static void buildTheClientFromTheServedWsdl() throws Exception {
        service = new BenefitInformationService(new URL(GATEWAY.serviceUrl() + "?wsdl"));
    }

    @Test
    void muutEtuudetWithoutViewsReturnsAllSixBenefitViewsWithData() throws Exception {
        GetBenefitData request = benefitRequest("MUUT_ETUUDET");
        GetBenefitDataResponse response = port(HVA, "getBenefitData").getBenefitData(request);

        assertEquals(List.of(BenefitView.values()), response.getReturnedView(), "R-VIEW-1: every view");
        assertFalse(response.getPendingApplications().getApplication().isEmpty());
        assertFalse(response.getBenefitDecisions().getDecision().isEmpty());
        assertFalse(response.getPayments().getPayment().isEmpty());
        assertNotNull(response.getInsuranceStatus().getValidity().getStart());
        assertFalse(response.getOverpaymentRecovery().getRecovery().isEmpty());
        assertFalse(response.getDrugCostCeiling().getCeiling().isEmpty());
        assertEquals(CLIENT, response.getClientId());
        assertTrue(response.getPayments().getPayment().get(0).getNetAmount().scale() == 2, "euros with cents");
    }

    @Test
    void helsinkiAsksChosenViewsUnderMuutEtuudet() throws Exception {
        GetBenefitData request = benefitRequest("MUUT_ETUUDET", HELSINKI_CLIENT);
        request.getView().add(BenefitView.DRUG_COST_CEILING);
        request.getView().add(BenefitView.INSURANCE_STATUS);
        GetBenefitDataResponse response = port(HELSINKI, "getBenefitData").getBenefitData(request);

        assertEquals(List.of(BenefitView.INSURANCE_STATUS, BenefitView.DRUG_COST_CEILING), response.getReturnedView());
        assertNull(response.getPayments());
        assertNotNull(response.getDrugCostCeiling());
        assertEquals(HELSINKI_CLIENT, response.getClientId());
    }

    @Test
    void kotoutumispalveluEtuudetReturnsOnlyItsViewsToAMunicipality() throws Exception {
        GetBenefitDataResponse response = port(KUNTA, "getBenefitData")
                .getBenefitData(benefitRequest("KOTOUTUMISPALVELU_ETUUDET", ESPOO_CLIENT));

        assertEquals(List.of(BenefitView.PENDING_APPLICATIONS, BenefitView.BENEFIT_DECISIONS, BenefitView.PAYMENTS),
                response.getReturnedView(), "R-VIEW-3: the configured subset");
        assertNull(response.getInsuranceStatus());
        assertNull(response.getOverpaymentRecovery());
        assertNull(response.getDrugCostCeiling());
    }

    @Test
    void toimeentulotukiReturnsTheBasicSocialAssistanceViewOfOneClient() throws Exception {
        GetBasicSocialAssistance request = new GetBasicSocialAssistance();
        request.setClientId(CLIENT);
        request.setPurpose("TOIMEENTULOTUKI");
        GetBasicSocialAssistanceResponse response = port(HVA, "getBasicSocialAssistance")
                .getBasicSocialAssistance(request);

        assertEquals(CLIENT, response.getClientId());
        assertEquals(1, response.getBasicSocialAssistance().getDecision().size(), "R-VIEW-2");
        assertTrue(response.getBasicSocialAssistance().getDecision().get(0).isReducedBasicAmount());
        assertEquals(1, response.getBasicSocialAssistance().getPayment().size());
    }

    @Test
    void purposeOfAnotherOperationIsRefused() throws Exception {
        GetBasicSocialAssistance request = new GetBasicSocialAssistance();
        request.setClientId(CLIENT);
        request.setPurpose("MUUT_ETUUDET");
        SOAPFaultException fault = assertThrows(SOAPFaultException.class,
                () -> port(HVA, "getBasicSocialAssistance").getBasicSocialAssistance(request));
        assertEquals("Client.PurposeNotForOperation", fault.getFault().getFaultCodeAsQName().getLocalPart());
    }

    @Test
    void organisationOtherThanTheSignersGetsItsFaultThroughTheGeneratedClient() throws Exception {
        SOAPFaultException fault = assertThrows(SOAPFaultException.class,
                () -> port("0201256-6", "getBenefitData", HVA).getBenefitData(benefitRequest("MUUT_ETUUDET")));
        assertEquals("Client.OrganisationMismatch", fault.getFault().getFaultCodeAsQName().getLocalPart());
        assertTrue(fault.getFault().getDetail().getTextContent().contains(fault.getFault().getFaultString()
                .replaceAll(".*correlation id ([0-9a-f-]+).*", "$1")));
    }

    @Test
    void responseHeadersReachTheClient() throws Exception {
        BenefitInformationPort port = port(HVA, "getBenefitData");
        port.getBenefitData(benefitRequest("MUUT_ETUUDET"));
        @SuppressWarnings("unchecked")
        List<Header> headers = (List<Header>) ((BindingProvider) port).getResponseContext().get(Header.HEADER_LIST);
        List<String> names = headers.stream().map(h -> h.getName().getLocalPart()).toList();
        assertEquals(List.of("Security", "client", "service", "id", "userId", "issue", "protocolVersion", "requestHash",
                "accessReceipt"), names, "the gateway's own signature, then the echo, then the access receipt");
    }

    private static GetBenefitData benefitRequest(String purpose) {
        return benefitRequest(purpose, CLIENT);
    }

    private static GetBenefitData benefitRequest(String purpose, String client) {
        GetBenefitData request = new GetBenefitData();
        request.setClientId(client);
        request.setPurpose(purpose);
        return request;
    }

    /** A port that sends the X-Road headers and signs its requests (WS-Security) with {@code signingKeyOf}'s key. */
    private static BenefitInformationPort port(String memberCode, String serviceCode, String signingKeyOf)
            throws Exception {
        BenefitInformationPort port = service.getBenefitInformationPort();
        ((BindingProvider) port).getRequestContext().put(Header.HEADER_LIST, xroadHeaders(memberCode, serviceCode));
        ClientProxy.getClient(port).getOutInterceptors().add(OutboundSigning.interceptor(
                Signing.keyStoreOf(signingKeyOf), signingKeyOf, SandboxPki.PASSWORD, 300));
        return port;
    }

    private static BenefitInformationPort port(String memberCode, String serviceCode) throws Exception {
        return port(memberCode, serviceCode, memberCode);
    }

    private static List<Header> xroadHeaders(String memberCode, String serviceCode) {
        return XRoadClientHeaders.of(memberCode, serviceCode, DEMO_USERS.getOrDefault(memberCode, USER));
    }
}
