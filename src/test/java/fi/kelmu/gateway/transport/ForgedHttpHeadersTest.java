package fi.kelmu.gateway.transport;

import static fi.kelmu.gateway.support.TestData.BENEFIT_NS;
import static fi.kelmu.gateway.support.TestData.CLIENT;
import static fi.kelmu.gateway.support.TestData.HELSINKI;
import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.LIVES_IN_HELSINKI;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.audit.AccessOutcome;
import fi.kelmu.gateway.audit.AccessRecord;
import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.SoapHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.cxf.jaxws.CxfEndpoint;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Only the verified body and the signed headers steer a request (issue 10 item 6): HTTP headers the signature does
 * not cover never become Camel headers. A forged {@code operationName}, a Camel-internal header name or the routing
 * header the route sets itself change nothing: the answer is the body's operation's, and the access-log record names
 * the operation of the body.
 */
class ForgedHttpHeadersTest {

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox()
            .withOwnAccessLog()
            .build();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();


    /** Header name, then value: what an outside test sent, and what a Camel route might read as its own. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "operationName: getBasicSocialAssistance",
        "operationName: getBenefitDataXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        "operationNamespace: urn:fi:kelmu:wsdl:access:v1",
        "CamelCxfMessage: x",
        "KelmuOrganisationType: HELSINKI",
        "CamelHttpMethod: GET",
        "CamelAuthentication: x",
        "kelmu.request: x"})
    void forgedHeaderIsIgnoredAndTheRecordNamesTheBodysOperation(String header) {
        String name = header.substring(0, header.indexOf(':'));
        String value = header.substring(header.indexOf(':') + 1).strip();
        SoapHttp.Response response = send(Signing.signedFixture("get-benefit-data-hva.xml", HVA), name, value);

        assertEquals(200, response.status(), response.bodyText());
        assertEquals(List.of(CLIENT), texts(response, "clientId"));
        assertEquals(List.of("BENEFIT_DECISIONS", "PAYMENTS"), texts(response, "returnedView"));
        AccessRecord record = onlyRecordOf(response);
        assertEquals("getBenefitData", record.operation());
        assertEquals(AccessOutcome.ALLOWED, record.outcome());
    }

    @Test
    void aForgedOperationNameDoesNotTurnBasicSocialAssistanceIntoBenefitData() {
        SoapHttp.Response response = send(Signing.signedFixture("get-basic-social-assistance-helsinki.xml", HELSINKI),
                "operationName", "getBenefitData");

        assertEquals(200, response.status(), response.bodyText());
        assertEquals(List.of(LIVES_IN_HELSINKI), texts(response, "clientId"));
        assertEquals(1, response.document().getElementsByTagNameNS(BENEFIT_NS, "getBasicSocialAssistanceResponse")
                .getLength(), response.bodyText());
        assertEquals(0, response.document().getElementsByTagNameNS(BENEFIT_NS, "getBenefitDataResponse").getLength());
        assertEquals("getBasicSocialAssistance", onlyRecordOf(response).operation());
    }

    /** The endpoints' header filter lets no HTTP request header through to the route, whatever its name. */
    @Test
    void theEndpointsFilterEveryHttpRequestHeader() {
        for (String endpoint : List.of("benefitInformationService", "accessService")) {
            CxfEndpoint cxf = GATEWAY.gateway().camelContext().getRegistry().lookupByNameAndType(endpoint,
                    CxfEndpoint.class);
            Exchange exchange = new DefaultExchange(GATEWAY.gateway().camelContext());
            for (String name : List.of("operationName", "CamelCxfMessage", "SOAPAction", "Content-Type", "X-Anything")) {
                assertTrue(cxf.getHeaderFilterStrategy().applyFilterToExternalHeaders(name, "x", exchange),
                        endpoint + " lets " + name + " through");
            }
        }
    }

    // --- helpers

    private static SoapHttp.Response send(byte[] body, String header, String value) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(GATEWAY.serviceUrl()))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "text/xml; charset=utf-8")
                .header(header, value)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new SoapHttp.Response(response.statusCode(), response.body(),
                    response.headers().firstValue(CorrelationId.HTTP_HEADER).orElse(null));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> texts(SoapHttp.Response response, String localName) {
        var nodes = response.document().getElementsByTagNameNS(BENEFIT_NS, localName);
        return java.util.stream.IntStream.range(0, nodes.getLength()).mapToObj(i -> nodes.item(i).getTextContent())
                .toList();
    }

    private static synchronized AccessRecord onlyRecordOf(SoapHttp.Response response) {
        List<AccessRecord> records = GATEWAY.accessRecordsOf(response.correlationId());
        assertEquals(1, records.size(), "records of correlation id " + response.correlationId());
        return records.get(0);
    }
}
