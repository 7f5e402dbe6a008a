package fi.kelmu.gateway.transport;

import static fi.kelmu.gateway.support.TestData.CLIENT;
import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.MUUT_ETUUDET;
import static fi.kelmu.gateway.support.TestData.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.audit.AccessOutcome;
import fi.kelmu.gateway.audit.AccessRecord;
import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.config.ResourceLocation;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.policy.AccessPolicy;
import fi.kelmu.gateway.support.BenefitRequests;
import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.xroad.XRoadHeaderReader;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;

/**
 * Every value the access log records is bounded and checked before the route runs (issue 10 item 6): an outside test
 * once made a record unwritable with a 100-character forged operation name, so that a refusal went unrecorded. The
 * columns of the access log (db/migration/common/V1__access_log.sql) hold the longest value each check lets through,
 * and a value one longer is refused as a client fault before the route; that refusal is recorded
 * (docs/access-log.md, "Refusals before the routes") without the value it could not keep.
 */
class RecordableValuesTest {

    private static final Path PROJECT = Path.of(System.getProperty("kelmu.project.dir", "."));

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox()
            .withOwnAccessLog()
            .build();



    @Test
    void theColumnsHoldTheLongestValueTheChecksLetThrough() throws IOException {
        Map<String, Integer> columns = columnSizes();
        // the X-Road id: XRoadHeaderReader refuses a longer one
        assertTrue(columns.get("xroad_id") >= XRoadHeaderReader.MAX_ID, columns.toString());
        // the user: FI and a henkilötunnus, checked
        assertTrue(columns.get("user_id") >= ("FI" + USER).length());
        // the client: a checked henkilötunnus; the organisation: a registered Y-tunnus
        assertTrue(columns.get("client_id") >= CLIENT.length());
        assertTrue(columns.get("organisation_id") >= HVA.length());
        // the purpose: the contract's PurposeCode, [A-Z][A-Z0-9_]{1,63}
        assertTrue(columns.get("purpose") >= longestPurposeCode(), "purpose " + columns.get("purpose"));
        // the operation: one of the WSDLs', bound by CXF from the body, never a header
        int longestOperation = Gateway.servedViews().keySet().stream().mapToInt(String::length).max()
                .orElseThrow();
        assertTrue(columns.get("operation") >= Math.max(longestOperation, "checkAccess".length()));
        // the mandates and views: codes of the policy and of the contract, all of them at once
        AccessPolicy policy = AccessPolicy.load(new ResourceLocation("classpath:policy/kelmu-policy.xml"),
                Gateway.servedViews());
        assertTrue(columns.get("mandates") >= String.join(",", policy.mandateCodes()).length());
        String allViews = Gateway.servedViews().values().stream().flatMap(java.util.Set::stream)
                .collect(Collectors.toCollection(TreeSet::new)).stream().collect(Collectors.joining(","));
        assertTrue(columns.get("views") >= allViews.length());
        // the fault code, the correlation id (a UUID) and the mandate proof (assertion:<id of at most 128>+online:<uuid>)
        assertTrue(columns.get("fault_code") >= Arrays.stream(FaultCode.values()).mapToInt(c -> c.code().length())
                .max().orElseThrow());
        assertTrue(columns.get("correlation_id") >= 36);
        assertTrue(columns.get("mandate_proof") >= ("assertion:" + "i".repeat(128) + "+online:" + "u".repeat(36))
                .length());
    }

    @Test
    void theLongestXRoadIdIsRecordedAndOneLongerIsRefusedBeforeTheRoute() {
        String longest = "i".repeat(XRoadHeaderReader.MAX_ID);
        SoapHttp.Response answered = send(withId(longest));
        assertEquals(200, answered.status(), answered.bodyText());
        AccessRecord record = onlyRecordOf(answered);
        assertEquals(AccessOutcome.ALLOWED, record.outcome());
        assertEquals(longest, record.xroadId());

        SoapHttp.Response refused = send(withId("j".repeat(XRoadHeaderReader.MAX_ID + 1)));
        assertEquals("soap:Client.InvalidHeader", refused.faultCode().strip(), refused.bodyText());
        // the refusal of a known caller is recorded, with the id it could not keep marked, never cut or overlong
        AccessRecord refusal = onlyRecordOf(refused);
        assertEquals(AccessOutcome.REFUSED, refusal.outcome());
        assertEquals("(unreadable)", refusal.xroadId());
    }

    @Test
    void aPurposeTooLongToRecordIsRefusedBeforeTheRoute() {
        SoapHttp.Response refused = send(BenefitRequests.benefitData(HVA, USER, CLIENT, "P".repeat(65)));
        assertEquals("soap:Client.InvalidRequest", refused.faultCode().strip(), refused.bodyText());
        // recorded as a refusal before the route, without the purpose it could not keep
        assertNull(onlyRecordOf(refused).purpose());

        // the longest purpose the contract allows is recorded with the refusal of it
        String longest = "P".repeat(longestPurposeCode());
        SoapHttp.Response unknown = send(BenefitRequests.benefitData(HVA, USER, CLIENT, longest));
        assertEquals("soap:Client.UnknownPurpose", unknown.faultCode().strip(), unknown.bodyText());
        AccessRecord record = onlyRecordOf(unknown);
        assertEquals(AccessOutcome.REFUSED, record.outcome());
        assertEquals(longest, record.purpose());
    }

    // --- helpers

    private static Document withId(String id) {
        Document request = BenefitRequests.benefitData(HVA, USER, CLIENT, MUUT_ETUUDET);
        request.getElementsByTagNameNS(XRoadHeaders.NS, "id").item(0).setTextContent(id);
        return request;
    }

    private static SoapHttp.Response send(Document request) {
        return SoapHttp.post(GATEWAY.serviceUrl(), BenefitRequests.signed(request), null);
    }

    /** The longest PurposeCode of xsd/common.xsd: its pattern's first letter and the upper bound of the rest. */
    private static int longestPurposeCode() {
        try {
            String common = Files.readString(PROJECT.resolve("xsd/common.xsd"));
            Matcher m = Pattern.compile("name=\"PurposeCode\">\\s*<xs:restriction base=\"xs:string\">\\s*"
                    + "<xs:pattern value=\"\\[A-Z]\\[A-Z0-9_]\\{1,(\\d+)}\"/>").matcher(common);
            assertTrue(m.find(), "xsd/common.xsd: the PurposeCode pattern changed");
            return 1 + Integer.parseInt(m.group(1));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The VARCHAR and CHAR columns of the access_log table by name, with their sizes. */
    private static Map<String, Integer> columnSizes() throws IOException {
        String sql = Files.readString(PROJECT.resolve("src/main/resources/db/migration/common/V1__access_log.sql"));
        String table = sql.substring(sql.indexOf("CREATE TABLE access_log ("), sql.indexOf(");", sql.indexOf(
                "CREATE TABLE access_log (")));
        Map<String, Integer> sizes = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^\\s*(\\w+)\\s+(?:VARCHAR|CHAR)\\((\\d+)\\)").matcher(table);
        while (m.find()) {
            sizes.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        assertTrue(sizes.keySet().containsAll(List.of("xroad_id", "organisation_id", "user_id", "mandates",
                "mandate_proof", "purpose", "operation", "client_id", "views", "fault_code", "correlation_id")),
                sizes.toString());
        return sizes;
    }

    private static synchronized List<AccessRecord> recordsOf(SoapHttp.Response response) {
        return GATEWAY.accessRecordsOf(response.correlationId());
    }

    private static AccessRecord onlyRecordOf(SoapHttp.Response response) {
        List<AccessRecord> records = recordsOf(response);
        assertEquals(1, records.size(), "records of correlation id " + response.correlationId());
        return records.get(0);
    }
}
