package fi.kelmu.gateway.routing;

import static fi.kelmu.gateway.support.TestData.CLIENT;
import static fi.kelmu.gateway.support.TestData.TAMPERE_USER;
import static fi.kelmu.gateway.support.TestData.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.contract.backend.v1.BenefitDataResult;
import fi.kelmu.contract.backend.v1.View;
import fi.kelmu.contract.benefit.v1.GetBasicSocialAssistance;
import fi.kelmu.contract.benefit.v1.GetBasicSocialAssistanceResponse;
import fi.kelmu.contract.benefit.v1.GetBenefitData;
import fi.kelmu.contract.benefit.v1.GetBenefitDataResponse;
import fi.kelmu.gateway.adapter.BackendSettings;
import fi.kelmu.gateway.adapter.BenefitBackendAdapter;
import fi.kelmu.gateway.benefit.BenefitOperations;
import fi.kelmu.gateway.config.ResourceLocation;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.transport.FaultTranslator;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.policy.AccessPolicy;
import fi.kelmu.gateway.audit.AccessLogQuery;
import fi.kelmu.gateway.audit.AccessOutcome;
import fi.kelmu.gateway.audit.AccessRecord;
import fi.kelmu.gateway.audit.Database;
import fi.kelmu.gateway.audit.JdbcAccessLog;
import fi.kelmu.gateway.audit.StoredAccessRecord;
import fi.kelmu.gateway.route.AccessSteps;
import fi.kelmu.gateway.route.AdapterStep;
import fi.kelmu.gateway.route.AuditSteps;
import fi.kelmu.gateway.route.BenefitSteps;
import fi.kelmu.gateway.route.FaultSteps;
import fi.kelmu.gateway.route.GatewayExchange;
import fi.kelmu.gateway.route.MandateSteps;
import fi.kelmu.gateway.route.PolicySteps;
import fi.kelmu.gateway.route.RequestSteps;
import fi.kelmu.gateway.route.RoutingSteps;
import fi.kelmu.gateway.mandate.MandateAssertions;
import fi.kelmu.gateway.support.TestRequests;
import fi.kelmu.gateway.transport.CorrelationId;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import fi.kelmu.gateway.mandate.MandateResolution;
import fi.kelmu.gateway.mandate.OnlineMandates;
import fi.kelmu.gateway.registry.MunicipalityReference;
import fi.kelmu.gateway.registry.OrganisationRegistry;
import fi.kelmu.gateway.registry.OrganisationType;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.component.cxf.common.message.CxfConstants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.apache.cxf.message.ExchangeImpl;
import org.apache.cxf.message.MessageImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The YAML routes of routes/, loaded as the gateway loads them, with the CXF endpoint replaced by a
 * direct endpoint and the adapters mocked: dispatch by operation, dispatch by organisation type, and the
 * error policy written once.
 */
class RoutingTest extends CamelMainTestSupport {

    private static final String ENTRY = "direct:benefit-information-service";
    private static final String USER_WITHOUT_MANDATES = TAMPERE_USER;

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.withRoutesIncludePattern("file:" + System.getProperty("kelmu.project.dir", ".")
                + "/routes/*.camel.yaml");
    }

    @Override
    public void configureContext(CamelContextConfiguration context) {
        super.configureContext(context);
        context.replaceRouteFromWith("benefit-information-service", ENTRY);
        context.replaceRouteFromWith("access-service", "direct:access-service");
        context.replaceRouteFromWith("payment-demand-service", "direct:payment-demand-service");
        context.replaceRouteFromWith("payment-demand-outbox", "direct:payment-demand-outbox");
        // the placeholders of the payment-demand schedules, as application.properties has them by default
        java.util.Properties schedules = new java.util.Properties();
        schedules.put("kelmu.payment-demand.year-end-transfer.enabled", "false");
        schedules.put("kelmu.payment-demand.year-end-transfer.at", "2023-01-01T00:30:00+02:00");
        schedules.put("kelmu.payment-demand.outbox.poll-ms", "3600000");
        context.withUseOverridePropertiesWithPropertiesComponent(schedules);
        context.withMockEndpointsAndSkip("direct:adapter-*");
    }

    private static Database database;
    private static JdbcAccessLog accessLog;

    @BeforeAll
    static void openTheAccessLog(@TempDir Path dir) {
        database = Database.open("jdbc:h2:file:" + dir.resolve("log").toAbsolutePath(), "kelmu", "");
        accessLog = new JdbcAccessLog(database.dataSource());
    }

    @AfterAll
    static void closeTheAccessLog() {
        database.close();
    }

    private final OrganisationRegistry organisations = OrganisationRegistry.load(
            new ResourceLocation("classpath:registry/organisations-sandbox.xml"), MunicipalityReference.load());

    @Override
    protected void bindToRegistry(Registry registry) {
        AccessPolicy policy = AccessPolicy.load(new ResourceLocation("classpath:policy/kelmu-policy.xml"),
                fi.kelmu.gateway.Gateway.servedViews());
        registry.bind("requestSteps", new RequestSteps());
        registry.bind("faultSteps", new FaultSteps(new FaultTranslator()));
        registry.bind("benefitSteps", new BenefitSteps());
        registry.bind("policySteps", new PolicySteps(policy, java.time.Clock.systemUTC()));
        registry.bind("auditSteps", new AuditSteps(accessLog, java.time.Clock.systemUTC()));
        registry.bind("accessSteps", new AccessSteps(new fi.kelmu.gateway.policy.AccessSelfCheck(policy,
                java.time.Clock.systemUTC())));
        // the online check answers from this map: every user holds ETUUSTIEDOT_MAKSUVAATIMUKSET unless listed;
        // no request here carries an assertion, so the assertion verifier is never asked
        registry.bind("mandateSteps", new MandateSteps(new MandateAssertions(null),
                new MandateResolution(MandateResolution.OnlineCheck.ALLOWED,
                (user, organisation, requestId) -> new OnlineMandates(user, organisation,
                        user.equals(USER_WITHOUT_MANDATES) ? Set.of() : Set.of("ETUUSTIEDOT_MAKSUVAATIMUKSET"), requestId,
                        java.time.Instant.now(), false), policy.mandateCodes())));
        registry.bind("routingSteps", new RoutingSteps());
        // never called: the adapter endpoints are mocked and skipped
        registry.bind("hvaBackend", unusedAdapter(OrganisationType.HVA));
        registry.bind("kuntaBackend", unusedAdapter(OrganisationType.KUNTA));
        registry.bind("helsinkiBackend", unusedAdapter(OrganisationType.HELSINKI));
        // the payment-demand routes load with the others; their own behaviour is payment/PaymentDemandServiceTest's
        fi.kelmu.gateway.payment.JdbcPaymentDemands demands = new fi.kelmu.gateway.payment.JdbcPaymentDemands(
                database.dataSource());
        registry.bind("paymentDemandSteps", new fi.kelmu.gateway.route.PaymentDemandSteps(demands,
                java.time.Clock.systemUTC()));
        for (OrganisationType type : List.of(OrganisationType.HVA, OrganisationType.KUNTA, OrganisationType.HELSINKI)) {
            registry.bind(type.name().toLowerCase(java.util.Locale.ROOT) + "PaymentBackend",
                    new fi.kelmu.gateway.route.PaymentBackendSteps(new fi.kelmu.gateway.adapter.PaymentDemandBackend(
                            new fi.kelmu.gateway.adapter.PaymentBackendSettings(java.net.URI.create("http://127.0.0.1:9"),
                                    java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1)))));
        }
        registry.bind("yearEndTransferStep", new fi.kelmu.gateway.route.YearEndTransferStep(demands, organisations,
                java.time.LocalDate.of(2022, 12, 31), Path.of("target"), java.time.Clock.systemUTC()));
        registry.bind("paymentDemandOutbox", new fi.kelmu.gateway.route.PaymentDemandOutbox(demands,
                command -> new fi.kelmu.gateway.payment.DeliveryOutcome.RetryLater("not in this test"),
                fi.kelmu.gateway.payment.OutboxSettings.DEFAULTS, java.time.Clock.systemUTC()));
    }

    @ParameterizedTest(name = "{0} ({2}) is routed to {1}")
    @CsvSource({
        "9000001-1, adapter-hva, MUUT_ETUUDET",
        "9000004-6, adapter-hva, MUUT_ETUUDET",
        "9000005-4, adapter-kunta, KOTOUTUMISPALVELU_ETUUDET",
        "9000007-0, adapter-helsinki, MUUT_ETUUDET",
    })
    void requestGoesToTheAdapterOfTheCallersOrganisationType(String businessId, String adapter, String purpose)
            throws Exception {
        expectOnly(adapter);
        Exchange result = send("getBenefitData", businessId, benefitData(purpose));

        MockEndpoint.assertIsSatisfied(context());
        GetBenefitDataResponse response = assertInstanceOf(GetBenefitDataResponse.class, result.getMessage().getBody());
        assertEquals(CLIENT, response.getClientId());
    }

    @Test
    void getBasicSocialAssistanceIsDispatchedToItsRoute() throws Exception {
        expectOnly("adapter-hva");
        GetBasicSocialAssistance body = new GetBasicSocialAssistance();
        body.setClientId(CLIENT);
        body.setPurpose("TOIMEENTULOTUKI");
        Exchange result = send("getBasicSocialAssistance", "9000001-1", body);

        MockEndpoint.assertIsSatisfied(context());
        assertInstanceOf(GetBasicSocialAssistanceResponse.class, result.getMessage().getBody());
        assertEquals(List.of("BASIC_SOCIAL_ASSISTANCE"), GatewayExchange.request(
                getMockEndpoint("mock:direct:adapter-hva").getExchanges().get(0)).decision().views());
    }

    @Test
    void kuntayhtymaWithAContractIsAllowedNoPurposeR_PURP_1() throws Exception {
        expectOnly(null);
        Exchange result = send("getBenefitData", "9000009-7", benefitData("MUUT_ETUUDET"));

        MockEndpoint.assertIsSatisfied(context());
        assertFault(result, FaultCode.PURPOSE_NOT_ALLOWED);
    }

    @Test
    void municipalityAskingAPurposeOnlyHvasAndHelsinkiHaveIsRefusedR_PURP_1() throws Exception {
        expectOnly(null);
        Exchange result = send("getBenefitData", "9000005-4", benefitData("MUUT_ETUUDET"));

        MockEndpoint.assertIsSatisfied(context());
        assertFault(result, FaultCode.PURPOSE_NOT_ALLOWED);
    }

    @Test
    void userWithoutTheMandateIsRefusedBeforeRoutingR_MAND_1() throws Exception {
        expectOnly(null);
        Exchange result = send("getBenefitData", "9000001-1", benefitData("MUUT_ETUUDET"), USER_WITHOUT_MANDATES);

        MockEndpoint.assertIsSatisfied(context());
        assertFault(result, FaultCode.MANDATE_MISSING);
        AccessRecord logged = onlyRecordOf(result);
        assertEquals(AccessOutcome.REFUSED, logged.outcome());
        assertEquals(FaultCode.MANDATE_MISSING, logged.faultCode());
        assertEquals(List.of(), logged.views(), "nothing was returned");
        assertEquals("FI" + USER_WITHOUT_MANDATES, logged.userId());
    }

    @Test
    void allowedRequestLeavesOneAccessRecordWithWhatWasReturned() throws Exception {
        expectOnly("adapter-kunta");
        Exchange result = send("getBenefitData", "9000005-4", benefitData("KOTOUTUMISPALVELU_ETUUDET"));

        MockEndpoint.assertIsSatisfied(context());
        assertInstanceOf(GetBenefitDataResponse.class, result.getMessage().getBody());
        AccessRecord logged = onlyRecordOf(result);
        assertEquals(AccessOutcome.ALLOWED, logged.outcome());
        assertEquals(null, logged.faultCode());
        assertEquals("9000005-4", logged.organisationId());
        assertEquals(OrganisationType.KUNTA, logged.organisationType());
        assertEquals("FI" + USER, logged.userId());
        assertEquals(CLIENT, logged.personId());
        assertEquals("KOTOUTUMISPALVELU_ETUUDET", logged.purpose());
        assertEquals("getBenefitData", logged.operation());
        assertEquals(List.of("ETUUSTIEDOT_MAKSUVAATIMUKSET"), logged.mandates());
        assertTrue(logged.mandateProof().startsWith("online:"), logged.mandateProof());
        assertEquals(List.of("PENDING_APPLICATIONS", "BENEFIT_DECISIONS", "PAYMENTS"), logged.views());
        assertEquals("id-1", logged.xroadId());
        assertTrue(accessLog.verify().ok());
    }

    @Test
    void requestNamingNoValidClientLeavesNoAccessRecord() throws Exception {
        expectOnly(null);
        GetBenefitData body = benefitData("MUUT_ETUUDET");
        body.setClientId("010180-9027");
        Exchange result = send("getBenefitData", "9000001-1", body);

        assertFault(result, FaultCode.INVALID_PERSONAL_IDENTITY_CODE);
        assertTrue(recordsOf(result).isEmpty());
    }

    private List<AccessRecord> recordsOf(Exchange result) {
        String correlationId = GatewayExchange.request(result).correlationId();
        return accessLog.find(AccessLogQuery.all().withLimit(10_000)).stream().map(StoredAccessRecord::record)
                .filter(r -> r.correlationId().equals(correlationId)).toList();
    }

    private AccessRecord onlyRecordOf(Exchange result) {
        List<AccessRecord> records = recordsOf(result);
        assertEquals(1, records.size(), records.toString());
        return records.get(0);
    }

    @Test
    void kuntayhtymaWhoseContractEndedAt2022IsRefusedBeforeRoutingR_CONT_3() throws Exception {
        expectOnly(null);
        Exchange result = send("getBenefitData", "9000008-9", benefitData("MUUT_ETUUDET"));

        MockEndpoint.assertIsSatisfied(context());
        assertFault(result, FaultCode.NO_VALID_CONTRACT);
    }

    @Test
    void invalidClientIsRefusedBeforeRouting() throws Exception {
        expectOnly(null);
        GetBenefitData body = benefitData("MUUT_ETUUDET");
        body.setClientId("010180-9027");
        Exchange result = send("getBenefitData", "9000001-1", body);

        MockEndpoint.assertIsSatisfied(context());
        assertFault(result, FaultCode.INVALID_PERSONAL_IDENTITY_CODE);
    }

    @Test
    void operationWithoutARouteIsRefused() throws Exception {
        expectOnly(null);
        Exchange result = send("getEverything", "9000001-1", benefitData("MUUT_ETUUDET"));

        MockEndpoint.assertIsSatisfied(context());
        assertFault(result, FaultCode.INVALID_REQUEST);
    }

    @Test
    void adapterFailureBecomesItsTypedFaultThroughTheErrorPolicy() throws Exception {
        getMockEndpoint("mock:direct:adapter-kunta").whenAnyExchangeReceived(e -> {
            throw new GatewayException(FaultCode.BACKEND_TIMEOUT, null, "test: backend slow");
        });
        Exchange result = send("getBenefitData", "9000005-4", benefitData("KOTOUTUMISPALVELU_ETUUDET"));

        assertFault(result, FaultCode.BACKEND_TIMEOUT);
    }

    private void expectOnly(String adapter) {
        for (String a : List.of("adapter-hva", "adapter-kunta", "adapter-helsinki")) {
            MockEndpoint mock = getMockEndpoint("mock:direct:" + a);
            mock.expectedMessageCount(a.equals(adapter) ? 1 : 0);
            mock.whenAnyExchangeReceived(e -> e.getMessage().setBody(backendAnswer(e)));
        }
    }

    /** What a backend would answer: the views asked, no entries. */
    private static BenefitDataResult backendAnswer(Exchange exchange) {
        var request = GatewayExchange.request(exchange);
        BenefitDataResult result = new BenefitDataResult();
        result.setPersonId(request.client());
        result.setHomeMunicipality("049");
        request.decision().views().forEach(v -> result.getViews().add(View.fromValue(v)));
        return result;
    }

    private Exchange send(String operation, String businessId, Object body) {
        return send(operation, businessId, body, USER);
    }

    private Exchange send(String operation, String businessId, Object body, String user) {
        MessageImpl cxfMessage = new MessageImpl();
        ExchangeImpl cxfExchange = new ExchangeImpl();
        cxfMessage.setExchange(cxfExchange);
        // what the inbound chain would have established: the registered organisation the certificate proved
        CorrelationId.attach(TestRequests.authenticated(organisations.require(businessId), user, operation), cxfMessage);
        return template().request(ENTRY, e -> {
            e.getIn().setHeader(CxfConstants.OPERATION_NAME, operation);
            e.getIn().setHeader(CxfConstants.CAMEL_CXF_MESSAGE, cxfMessage);
            e.getIn().setBody(List.of(body));
        });
    }

    private static GetBenefitData benefitData(String purpose) {
        GetBenefitData body = new GetBenefitData();
        body.setClientId(CLIENT);
        body.setPurpose(purpose);
        return body;
    }

    private static void assertFault(Exchange result, FaultCode code) {
        var fault = assertInstanceOf(FaultTranslator.GatewaySoapFault.class, result.getMessage().getBody());
        assertEquals(code, fault.faultCode());
    }

    private static AdapterStep unusedAdapter(OrganisationType type) {
        return new AdapterStep(new BenefitBackendAdapter(type, new BackendSettings(URI.create("http://127.0.0.1:9/unused"),
                Duration.ofMillis(100), Duration.ofMillis(100), 50, 10, 5, Duration.ofSeconds(1))));
    }
}
