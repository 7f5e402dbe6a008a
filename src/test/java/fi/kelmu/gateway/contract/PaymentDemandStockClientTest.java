package fi.kelmu.gateway.contract;

import static fi.kelmu.gateway.support.TestData.LANSI_UUSIMAA;
import static fi.kelmu.gateway.support.TestData.LIVES_IN_ESPOO;
import static fi.kelmu.gateway.support.TestData.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.contract.common.v1.Period;
import fi.kelmu.contract.paymentdemand.service.v1.PaymentDemandPort;
import fi.kelmu.contract.paymentdemand.service.v1.PaymentDemandService;
import fi.kelmu.contract.paymentdemand.v1.Amount;
import fi.kelmu.contract.paymentdemand.v1.DemandContent;
import fi.kelmu.contract.paymentdemand.v1.InvalidatePaymentDemand;
import fi.kelmu.contract.paymentdemand.v1.InvalidatePaymentDemandResponse;
import fi.kelmu.contract.paymentdemand.v1.ListPaymentDemands;
import fi.kelmu.contract.paymentdemand.v1.ListPaymentDemandsResponse;
import fi.kelmu.contract.paymentdemand.v1.ModifyPaymentDemand;
import fi.kelmu.contract.paymentdemand.v1.ModifyPaymentDemandResponse;
import fi.kelmu.contract.paymentdemand.v1.PaymentDemand;
import fi.kelmu.contract.paymentdemand.v1.SubmitPaymentDemand;
import fi.kelmu.contract.paymentdemand.v1.SubmitPaymentDemandResponse;
import fi.kelmu.gateway.security.OrganisationIdentity;
import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.StockClients;
import fi.kelmu.gateway.support.TestData;
import jakarta.xml.ws.BindingProvider;
import java.math.BigDecimal;
import java.net.URL;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.util.List;
import javax.xml.namespace.QName;
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
 * PaymentDemandService for a stock client (docs/payment-demands.md, "Contract"; R-PAY-4): the JAX-WS classes generated
 * from wsdl/PaymentDemandService.wsdl, CXF's own {@link WSS4JOutInterceptor} at its defaults with only what
 * docs/security.md tells an integrator to set (key store, signed parts: Body, Timestamp, the X-Road headers; SHA-256;
 * BinarySecurityToken), the X-Road headers as SOAP headers. List, submit, modify and invalidate each answer, and each
 * answer verifies with a stock {@link WSS4JInInterceptor} that trusts only the sandbox CA, signed by Kela's key.
 */
class PaymentDemandStockClientTest {

    private static final QName SERVICE = new QName("urn:fi:kelmu:wsdl:payment-demand:v1", "PaymentDemandService");

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox().build();
    private static PaymentDemandService service;

    @BeforeAll
    static void buildTheClientFromTheServedWsdl() throws Exception {
        service = new PaymentDemandService(new URL(GATEWAY.gateway().paymentDemandServiceUrl() + "?wsdl"), SERVICE);
    }

    @Test
    void r_pay_4_submitListModifyAndInvalidateAnswerAStockClientAndEachAnswerVerifies() {
        PaymentDemandPort submitPort = port("submitPaymentDemand");
        SubmitPaymentDemand submit = new SubmitPaymentDemand();
        submit.setDemand(demand("429.09", "STOCK-1"));
        SubmitPaymentDemandResponse submitted = submitPort.submitPaymentDemand(submit);
        assertAnswerVerified(submitPort);
        PaymentDemand demand = submitted.getPaymentDemand();
        String demandId = demand.getDemandId();
        assertNotNull(demandId);
        assertFalse(submitted.isRepeated());
        assertEquals(LANSI_UUSIMAA, demand.getDemander().getBusinessId(), "the demander is the caller as signed");
        assertEquals(0, new BigDecimal("429.09").compareTo(demand.getDemand().getAmount().getSum()));
        assertEquals("FI2112345600000785", demand.getDemand().getPayeeAccount());

        PaymentDemandPort listPort = port("listPaymentDemands");
        ListPaymentDemands list = new ListPaymentDemands();
        list.setClientId(LIVES_IN_ESPOO);
        ListPaymentDemandsResponse listed = listPort.listPaymentDemands(list);
        assertAnswerVerified(listPort);
        assertTrue(listed.getPaymentDemand().stream().anyMatch(d -> d.getDemandId().equals(demandId)),
                "the submitted demand is listed");

        PaymentDemandPort modifyPort = port("modifyPaymentDemand");
        ModifyPaymentDemand modify = new ModifyPaymentDemand();
        modify.setDemandId(demandId);
        modify.setDemand(demand("300.00", "STOCK-1"));
        ModifyPaymentDemandResponse modified = modifyPort.modifyPaymentDemand(modify);
        assertAnswerVerified(modifyPort);
        assertEquals(demandId, modified.getPaymentDemand().getDemandId());
        assertFalse(modified.isRepeated());
        assertEquals(0, new BigDecimal("300.00").compareTo(modified.getPaymentDemand().getDemand().getAmount().getSum()));

        PaymentDemandPort invalidatePort = port("invalidatePaymentDemand");
        InvalidatePaymentDemand invalidate = new InvalidatePaymentDemand();
        invalidate.setDemandId(demandId);
        invalidate.setReason("Paid by the client");
        InvalidatePaymentDemandResponse invalidated = invalidatePort.invalidatePaymentDemand(invalidate);
        assertAnswerVerified(invalidatePort);
        assertEquals(demandId, invalidated.getPaymentDemand().getDemandId());
        assertFalse(invalidated.isRepeated());
    }

    private static DemandContent demand(String euros, String caseReference) {
        DemandContent content = new DemandContent();
        content.setClientId(LIVES_IN_ESPOO);
        content.setBenefit("YLEINEN_ASUMISTUKI");
        Period period = new Period();
        period.setStart(LocalDate.of(2026, 11, 1));
        period.setEnd(LocalDate.of(2026, 11, 30));
        content.setPeriod(period);
        Amount amount = new Amount();
        amount.setSum(new BigDecimal(euros));
        content.setAmount(amount);
        content.setLegalBasis("TOIMEENTULOTUKILAKI_23");
        content.setCaseReference(caseReference);
        content.setPayeeAccount("FI21 1234 5600 0007 85");
        return content;
    }

    /**
     * A port of its own per operation: the X-Road headers (a fresh id, the operation as serviceCode) as SOAP headers,
     * and the stock WS-Security interceptors, signing with the sandbox key of Länsi-Uusimaa.
     */
    private static PaymentDemandPort port(String operation) {
        PaymentDemandPort port = service.getPaymentDemandPort();
        StockClients.signAndVerify(port, LANSI_UUSIMAA, operation, USER, Signing.keyStoreOf(LANSI_UUSIMAA),
                LANSI_UUSIMAA, WSConstants.RSA_SHA256);
        return port;
    }

    /** The stock in-interceptor processed the answer and found it signed by the gateway (Kela's Y-tunnus). */
    private static void assertAnswerVerified(PaymentDemandPort port) {
        @SuppressWarnings("unchecked")
        List<WSHandlerResult> results = (List<WSHandlerResult>) ((BindingProvider) port).getResponseContext()
                .get(WSHandlerConstants.RECV_RESULTS);
        assertNotNull(results, "the stock WSS4JInInterceptor processed the answer");
        List<WSSecurityEngineResult> signatures = results.get(0).getActionResults().get(WSConstants.SIGN);
        assertNotNull(signatures, "the answer is signed");
        assertFalse(signatures.isEmpty());
        X509Certificate signer = (X509Certificate) signatures.get(0).get(WSSecurityEngineResult.TAG_X509_CERTIFICATE);
        assertEquals(TestData.KELA, OrganisationIdentity.businessIdOf(signer).orElseThrow(),
                "signed by the gateway: " + signer.getSubjectX500Principal());
    }
}
