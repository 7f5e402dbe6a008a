package fi.kelmu.gateway.policy;

import static fi.kelmu.gateway.support.TestData.ACCESS_NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.transport.InboundChain;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import fi.kelmu.gateway.support.Mandates;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.support.GatewayExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The access self-check (R-MAND-5, issue 4 item 6) through the whole gateway, against the sandbox mandate
 * service's demo users: what the user holds, what it allows, and what a purpose still needs.
 */
class AccessServiceTest {

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox().build();

    @Test
    void hvaUserSeesTheMandatesInForceAndThePurposesTheyAllow() {
        Document answer = check("9000001-1", "010594Y9032", null, null);
        assertEquals(List.of("ETUUSTIEDOT_MAKSUVAATIMUKSET", "TOIMEENTULOTUKI_SOSIAALIPALVELUT", "TYOMARKKINATUKI_300_PAIVAA"),
                texts(answer, "mandate", "code"));
        assertEquals(List.of("MAKSUVAATIMUKSET", "MUUT_ETUUDET", "TOIMEENTULOTUEN_ILMOITUKSET", "TOIMEENTULOTUKI",
                "TYP_PALVELU"),
                texts(answer, "allowedPurpose", "code"));
        assertEquals("true", SoapHttp.text(answer, ACCESS_NS, "contractInForce"));
        assertEquals("HVA", first(answer, "organisation").getElementsByTagNameNS(ACCESS_NS, "type").item(0).getTextContent());
        assertTrue(SoapHttp.text(answer, ACCESS_NS, "mandateProof").startsWith("online:"));
        assertNull(first(answer, "purposeCheck"));
    }

    @Test
    void purposeOfAnotherOrganisationTypeIsExplainedR_PURP_1() {
        Element check = first(check("9000001-1", "010594Y9032", "KOTOUTUMISPALVELU_ETUUDET", null), "purposeCheck");
        assertEquals("false", text(check, "allowed"));
        assertEquals(List.of("ORGANISATION_TYPE"), kinds(check));
    }

    @Test
    void revokedUserIsToldWhichMandateIsMissingAndWhomToAskR_MAND_4_R_MAND_5() {
        Document answer = check("9000001-1", "111175-943R", "MUUT_ETUUDET", null);
        assertTrue(texts(answer, "mandate", "code").isEmpty());
        Element check = first(answer, "purposeCheck");
        assertEquals("false", text(check, "allowed"));
        assertEquals(List.of("MANDATE"), kinds(check));
        assertEquals("ETUUSTIEDOT_MAKSUVAATIMUKSET", text((Element) check.getElementsByTagNameNS(ACCESS_NS, "missing").item(0), "code"));
        assertTrue(text(check, "whomToAsk").contains("valtuuttaja"), text(check, "whomToAsk"));
    }

    @Test
    void everythingMissingIsListedNotOnlyTheFirstR_MAND_5() {
        Element check = first(check("9000001-1", "111175-943R", "KOTOUTUMISPALVELU_ETUUDET", null), "purposeCheck");
        assertEquals(List.of("ORGANISATION_TYPE", "MANDATE"), kinds(check));
    }

    @Test
    void allowedPurposeHasNothingMissing() {
        Element check = first(check("9000001-1", "010594Y9032", "MUUT_ETUUDET", null), "purposeCheck");
        assertEquals("true", text(check, "allowed"));
        assertTrue(kinds(check).isEmpty());
    }

    @Test
    void organisationWithoutAContractLearnsThatR_CONT_3() {
        Document answer = check("9000008-9", "010594Y9032", "MUUT_ETUUDET", null);
        assertEquals("false", SoapHttp.text(answer, ACCESS_NS, "contractInForce"));
        Element check = first(answer, "purposeCheck");
        assertTrue(kinds(check).contains("CONTRACT"), kinds(check).toString());
        assertTrue(text(check, "whomToAsk").contains("tiedonvalitys@kela.fi"));
    }

    @Test
    void mandateTheOrganisationTypeCannotGrantIsListedAsIgnoredR_MAND_2() {
        // an assertion may name anything; a municipality cannot grant TOIMEENTULOTUKI_SOSIAALIPALVELUT
        Document answer = check("9000005-4", "220790-921S", null, Mandates.assertion("220790-921S", "9000005-4",
                "ETUUSTIEDOT_MAKSUVAATIMUKSET", "TOIMEENTULOTUKI_SOSIAALIPALVELUT"));
        assertEquals(List.of("ETUUSTIEDOT_MAKSUVAATIMUKSET"), texts(answer, "mandate", "code"));
        assertEquals(List.of("TOIMEENTULOTUKI_SOSIAALIPALVELUT"), texts(answer, "ignoredMandate", "code"));
        assertTrue(SoapHttp.text(answer, ACCESS_NS, "mandateProof").startsWith("assertion:"));
        assertEquals(List.of("KOTOUTUMISPALVELU_ETUUDET"), texts(answer, "allowedPurpose", "code"));
    }

    @Test
    void unsignedSelfCheckIsRefusedLikeAnyRequest() {
        SoapHttp.Response response = SoapHttp.post(GATEWAY.accessServiceUrl(), SoapHttp.fixture("check-access-hva.xml"), null);
        assertEquals(500, response.status());
        assertEquals("soap:Client.SignatureRequired", response.faultCode().strip());
    }

    // --- helpers

    private static Document check(String businessId, String user, String purpose, Document assertion) {
        Document doc = Signing.freshId(SoapHttp.parse(SoapHttp.fixture("check-access-hva.xml")));
        ((Element) doc.getElementsByTagNameNS(XRoadHeaders.NS, "client").item(0)).getElementsByTagNameNS(XRoadHeaders.ID_NS, "memberCode").item(0)
                .setTextContent(businessId);
        doc.getElementsByTagNameNS(XRoadHeaders.NS, "userId").item(0).setTextContent("FI" + user);
        Element purposeElement = (Element) doc.getElementsByTagNameNS(ACCESS_NS, "purpose").item(0);
        if (purpose == null) {
            purposeElement.getParentNode().removeChild(purposeElement);
        } else {
            purposeElement.setTextContent(purpose);
        }
        if (assertion != null) {
            Mandates.addTo(doc, assertion);
        }
        Signing.signerOf(businessId).sign(doc, InboundChain.REQUEST_SIGNED_PARTS, 300);
        SoapHttp.Response response = SoapHttp.post(GATEWAY.accessServiceUrl(), Signing.serialise(doc), null);
        assertEquals(200, response.status(), response.faultCode());
        return SoapHttp.parse(response.body());
    }

    private static Element first(Document doc, String name) {
        NodeList list = doc.getElementsByTagNameNS(ACCESS_NS, name);
        return list.getLength() == 0 ? null : (Element) list.item(0);
    }

    private static String text(Element parent, String name) {
        NodeList list = parent.getElementsByTagNameNS(ACCESS_NS, name);
        return list.getLength() == 0 ? null : list.item(0).getTextContent();
    }

    /** The {@code child} text of each direct child {@code element} of the checkAccessResponse. */
    private static List<String> texts(Document doc, String element, String child) {
        List<String> result = new ArrayList<>();
        for (org.w3c.dom.Node n = first(doc, "checkAccessResponse").getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && ACCESS_NS.equals(e.getNamespaceURI()) && element.equals(e.getLocalName())) {
                result.add(text(e, child));
            }
        }
        return result;
    }

    private static List<String> kinds(Element check) {
        List<String> result = new ArrayList<>();
        NodeList list = check.getElementsByTagNameNS(ACCESS_NS, "missing");
        for (int i = 0; i < list.getLength(); i++) {
            result.add(text((Element) list.item(i), "kind"));
        }
        return result;
    }
}
