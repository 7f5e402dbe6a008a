package fi.kelmu.gateway.payment;

import static fi.kelmu.gateway.support.TestData.CLIENT;
import static fi.kelmu.gateway.support.TestData.ESPOO;
import static fi.kelmu.gateway.support.TestData.ESPOO_USER;
import static fi.kelmu.gateway.support.TestData.HELSINKI;
import static fi.kelmu.gateway.support.TestData.HELSINKI_USER;
import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.LIVES_IN_HANKO;
import static fi.kelmu.gateway.support.TestData.LIVES_IN_HELSINKI;
import static fi.kelmu.gateway.support.TestData.LIVES_IN_VANTAA;
import static fi.kelmu.gateway.support.TestData.REVOKED_USER;
import static fi.kelmu.gateway.support.TestData.TAMPERE_USER;
import static fi.kelmu.gateway.support.TestData.USER;
import static fi.kelmu.gateway.support.TestData.VANTAA_KERAVA;
import static fi.kelmu.gateway.support.TestData.VANTAA_KERAVA_USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.GatewayApplication;
import fi.kelmu.gateway.GatewaySettings;
import fi.kelmu.gateway.audit.AccessLogCommand;
import fi.kelmu.gateway.audit.AccessOutcome;
import fi.kelmu.gateway.audit.AccessRecord;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.transport.AccessReceiptHeader;
import fi.kelmu.gateway.transport.InboundChain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;

/**
 * PaymentDemandService through an in-process sandbox gateway (docs/payment-demands.md, R-PAY-2, R-PAY-4..6): signed
 * SOAP requests of the demo organisations and users, the embedded payment-demand backend simulator behind it. Each
 * refusal is checked by its fault code and, where the contract promises words, by its text; the writes' exactly-once
 * behaviour, the list's scope, the access log and the access receipt of every answer with demand data.
 */
class PaymentDemandGatewayTest {

    static final String NS = PaymentDemandOperations.NAMESPACE;
    static final String ACCOUNT = "FI21 1234 5600 0007 85";
    static final String ACCOUNT_PLAIN = "FI2112345600000785";

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox()
            .property("kelmu.payment-demand.outbox.poll-ms", "200")
            .properties(dir -> Map.of("kelmu.db.url",
                    "jdbc:h2:file:" + dir.resolve("log").toAbsolutePath() + ";AUTO_SERVER=TRUE;LOCK_TIMEOUT=10000"))
            .build();

    // --- R-PAY-2: the legal basis

    @Test
    void r_pay_2_bothLegalBasesAreAccepted() {
        for (String basis : List.of("TOIMEENTULOTUKILAKI_23", "ASIAKASMAKSULAKI_14")) {
            SoapHttp.Response answer = send(submit(HVA, USER, demand().basis(basis)));
            assertEquals(200, answer.status(), answer.bodyText());
            assertEquals(basis, SoapHttp.text(answer.document(), NS, "legalBasis"));
            assertNotNull(SoapHttp.text(answer.document(), NS, "demandId"));
        }
    }

    @Test
    void r_pay_2_anotherBasisIsToldToGoToKelaOnPaper() {
        SoapHttp.Response answer = send(submit(HVA, USER, demand().basis("SOSIAALIHUOLTOLAKI_XX")));
        assertFault(answer, "Client.PaymentDemandOnPaper");
        String text = faultString(answer);
        assertTrue(text.contains("on paper"), text);
        assertTrue(text.contains("TOIMEENTULOTUKILAKI_23") && text.contains("ASIAKASMAKSULAKI_14"), text);
    }

    @Test
    void r_pay_2_theOnPaperRefusalWinsOverAnotherInvalidField() {
        assertFault(send(submit(HVA, USER, demand().basis("SOSIAALIHUOLTOLAKI_XX").amount("-10.00"))),
                "Client.PaymentDemandOnPaper");
        assertFault(send(submit(HVA, USER, demand().basis("SOSIAALIHUOLTOLAKI_XX").account("FI22 1234 5600 0007 85"))),
                "Client.PaymentDemandOnPaper");
        assertFault(send(submit(HVA, USER, demand().basis("SOSIAALIHUOLTOLAKI_XX").period("2026-12-01", "2026-11-01"))),
                "Client.PaymentDemandOnPaper");
    }

    // --- R-PAY-6: who may

    @Test
    void r_pay_6_aMunicipalityIsRefusedFrom2023WithTheReason() {
        // Espoo's user holds ETUUSTIEDOT_MAKSUVAATIMUKSET from Espoo: only the organisation type stops it
        for (Document request : List.of(submit(ESPOO, ESPOO_USER, demand()), list(ESPOO, ESPOO_USER, CLIENT))) {
            SoapHttp.Response answer = send(request);
            assertFault(answer, "Client.PurposeNotAllowed");
            String text = faultString(answer);
            assertTrue(text.contains("R-PAY-6"), text);
            assertTrue(text.contains("wellbeing services county") && text.contains("City of Helsinki"), text);
        }
    }

    @Test
    void r_pay_6_helsinkiMaySubmitForAHelsinkiClient() {
        SoapHttp.Response answer = send(submit(HELSINKI, HELSINKI_USER, demand().client(LIVES_IN_HELSINKI)));
        assertEquals(200, answer.status(), answer.bodyText());
        assertEquals(HELSINKI, SoapHttp.text(answer.document(), NS, "businessId"));
        assertEquals("HELSINKI", SoapHttp.text(answer.document(), NS, "organisationType"));
    }

    @Test
    void r_pay_6_anHvaMaySubmitForAClientOfItsArea() {
        SoapHttp.Response answer = send(submit(HVA, USER, demand().client(LIVES_IN_HANKO)));
        assertEquals(200, answer.status(), answer.bodyText());
        assertEquals(HVA, SoapHttp.text(answer.document(), NS, "businessId"));
        assertEquals("HVA", SoapHttp.text(answer.document(), NS, "organisationType"));
    }

    // --- R-PAY-5: the mandate

    @Test
    void r_pay_5_aUserWithoutTheMandateIsRefused() {
        // Tampere's user holds no mandate from the HVA at all; the revoked user's mandate ended in June 2026
        for (String user : List.of(TAMPERE_USER, REVOKED_USER)) {
            SoapHttp.Response answer = send(submit(HVA, user, demand()));
            assertFault(answer, "Client.MandateMissing");
            assertTrue(faultString(answer).contains("ETUUSTIEDOT_MAKSUVAATIMUKSET"), faultString(answer));
            assertFault(send(list(HVA, user, CLIENT)), "Client.MandateMissing");
            // an invalidation names no client; the mandate is still checked before the demand is looked for
            assertFault(send(invalidate(HVA, user, UUID.randomUUID().toString())), "Client.MandateMissing");
        }
    }

    // --- area

    @Test
    void area_aClientOutsideTheHvasAreaIsAnsweredAsAnUnknownClient() {
        SoapHttp.Response outside = send(submit(HVA, USER, demand().client(LIVES_IN_VANTAA)));
        assertFault(outside, "Client.UnknownClient");
        // a valid henkilötunnus of whom the backend knows nothing: the same code and the same words
        SoapHttp.Response unknown = send(submit(HVA, USER, demand().client("010594Y9032")));
        assertFault(unknown, "Client.UnknownClient");
        assertEquals(callerText(unknown), callerText(outside));
        assertFalse(faultString(outside).contains(LIVES_IN_VANTAA), faultString(outside));
    }

    // --- content rules

    @Test
    void content_anIbanWithWrongCheckDigitsIsRefusedNamingTheField() {
        assertInvalid(demand().account("FI22 1234 5600 0007 85"), "payeeAccount", "FI22", "12345600000785",
                "1234 5600");
    }

    @Test
    void content_aNonFinnishIbanIsRefusedNamingTheField() {
        // a valid German IBAN: its check digits are right, its country is not
        assertInvalid(demand().account("DE89 3704 0044 0532 0130 00"), "payeeAccount", "DE89", "370400440532013000",
                "3704 0044");
    }

    @Test
    void content_aNegativeOrZeroAmountIsRefusedNamingTheField() {
        assertInvalid(demand().amount("-12.50"), "amount", "12.50", "12.5");
        assertInvalid(demand().amount("0.00"), "amount", "0.00");
    }

    @Test
    void content_threeDecimalsAreRefusedByTheSchemaBeforeTheRules() {
        // cmn:EuroAmount has fractionDigits 2: the schema refuses the request, without quoting the value
        SoapHttp.Response answer = send(submit(HVA, USER, demand().amount("12.345")));
        assertFault(answer, "Client.InvalidRequest");
        assertFalse(faultString(answer).contains("12.345"), faultString(answer));
    }

    @Test
    void content_aPeriodEndingBeforeItStartsIsRefusedNamingTheField() {
        assertInvalid(demand().period("2026-12-01", "2026-11-30"), "period", "2026-12-01", "2026-11-30");
    }

    @Test
    void content_aPeriodStartingBeforeTheBenefitsIsRefusedNamingTheField() {
        // the client's housing allowance application runs from 2026-11-01 (sandbox/backend-demo-data.xml)
        assertInvalid(demand().period("2026-10-01", "2026-11-30"), "period", "2026-10-01", "2026-11-01");
    }

    // --- R-PAY-4: ownership

    @Test
    void r_pay_4_anotherOrganisationsDemandIsUnknownToModifyAndInvalidate() {
        String demandId = submitted(HVA, USER, demand().amount("101.00"));
        Demand content = demand().amount("1.00");
        String unknownId = UUID.randomUUID().toString();

        SoapHttp.Response modifyOthers = send(modify(HELSINKI, HELSINKI_USER, demandId, content));
        SoapHttp.Response modifyUnknown = send(modify(HELSINKI, HELSINKI_USER, unknownId, content));
        assertFault(modifyOthers, "Client.UnknownPaymentDemand");
        assertFault(modifyUnknown, "Client.UnknownPaymentDemand");
        assertEquals(callerText(modifyUnknown), callerText(modifyOthers));
        assertFalse(faultString(modifyOthers).contains(demandId), faultString(modifyOthers));

        SoapHttp.Response invalidateOthers = send(invalidate(HELSINKI, HELSINKI_USER, demandId));
        SoapHttp.Response invalidateUnknown = send(invalidate(HELSINKI, HELSINKI_USER, unknownId));
        assertFault(invalidateOthers, "Client.UnknownPaymentDemand");
        assertFault(invalidateUnknown, "Client.UnknownPaymentDemand");
        assertEquals(callerText(invalidateUnknown), callerText(invalidateOthers));

        // the same from another HVA, and the demand is as its demander left it
        assertFault(send(invalidate(VANTAA_KERAVA, VANTAA_KERAVA_USER, demandId)), "Client.UnknownPaymentDemand");
        SoapHttp.Response listed = send(list(HVA, USER, CLIENT));
        assertEquals(200, listed.status(), listed.bodyText());
        String body = listed.bodyText();
        assertTrue(body.contains(demandId), body);
        int at = body.indexOf(demandId);
        String ownEntry = body.substring(at, body.indexOf("paymentDemand>", at));
        assertTrue(ownEntry.contains("101.00"), ownEntry);
        assertFalse(ownEntry.contains("INVALIDATED"), ownEntry);
    }

    @Test
    void r_pay_4_anInvalidatedDemandCannotBeModified() {
        String demandId = submitted(HVA, USER, demand());
        SoapHttp.Response invalidated = send(invalidate(HVA, USER, demandId));
        assertEquals(200, invalidated.status(), invalidated.bodyText());
        assertEquals(demandId, SoapHttp.text(invalidated.document(), NS, "demandId"));

        assertFault(send(modify(HVA, USER, demandId, demand().amount("5.00"))), "Client.PaymentDemandInvalidated");
        // a second invalidation under another X-Road id says nothing new either
        assertFault(send(invalidate(HVA, USER, demandId)), "Client.PaymentDemandInvalidated");
    }

    @Test
    void r_pay_4_aModificationCannotChangeTheClient() {
        String demandId = submitted(HVA, USER, demand());
        SoapHttp.Response answer = send(modify(HVA, USER, demandId, demand().client(LIVES_IN_HANKO)));
        assertFault(answer, "Client.InvalidPaymentDemand");
        assertTrue(faultString(answer).contains("clientId"), faultString(answer));
        assertFalse(faultString(answer).contains(LIVES_IN_HANKO), faultString(answer));

        SoapHttp.Response changed = send(modify(HVA, USER, demandId, demand().amount("300.00")));
        assertEquals(200, changed.status(), changed.bodyText());
        assertEquals(CLIENT, SoapHttp.text(changed.document(), NS, "clientId"));
        assertEquals("300.00", SoapHttp.text(changed.document(), NS, "sum"));
    }

    // --- exactly once

    @Test
    void exactlyOnce_theSameSignedBytesTwiceGetTheSameDemandMarkedRepeated() {
        byte[] bytes = signed(submit(HVA, USER, demand().client(LIVES_IN_HANKO).amount("11.11")));
        SoapHttp.Response first = post(bytes);
        SoapHttp.Response second = post(bytes);
        assertEquals(200, first.status(), first.bodyText());
        assertEquals(200, second.status(), "not Client.ReplayedMessage: " + second.bodyText());
        assertEquals(SoapHttp.text(first.document(), NS, "demandId"), SoapHttp.text(second.document(), NS, "demandId"));
        assertEquals("false", SoapHttp.text(first.document(), NS, "repeated"));
        assertEquals("true", SoapHttp.text(second.document(), NS, "repeated"));
    }

    @Test
    void exactlyOnce_reSignedWithTheSameIdAndContentGetsTheSameAnswer() {
        String id = UUID.randomUUID().toString();
        Demand content = demand().client(LIVES_IN_HANKO).amount("22.22");
        byte[] firstBytes = signed(submit(HVA, USER, content, id));
        byte[] secondBytes = signed(submit(HVA, USER, content, id));
        assertFalse(java.util.Arrays.equals(firstBytes, secondBytes), "two signatures, two timestamps");
        SoapHttp.Response first = post(firstBytes);
        SoapHttp.Response second = post(secondBytes);
        assertEquals(200, first.status(), first.bodyText());
        assertEquals(200, second.status(), second.bodyText());
        assertEquals(SoapHttp.text(first.document(), NS, "demandId"), SoapHttp.text(second.document(), NS, "demandId"));
        assertEquals("true", SoapHttp.text(second.document(), NS, "repeated"));
    }

    @Test
    void exactlyOnce_theSameIdWithDifferentContentIsRefused() {
        String id = UUID.randomUUID().toString();
        SoapHttp.Response first = send(submit(HVA, USER, demand().amount("33.33"), id));
        assertEquals(200, first.status(), first.bodyText());
        SoapHttp.Response other = send(submit(HVA, USER, demand().amount("33.34"), id));
        assertFault(other, "Client.IdempotencyKeyReused");
    }

    @Test
    void exactlyOnce_fiftyConcurrentSendsOfOneMessageMakeOneDemand() throws Exception {
        // a case reference of this test's own, so that the list can be searched for this message's demands
        String caseReference = "CONCURRENT-" + UUID.randomUUID();
        byte[] bytes = signed(submit(HVA, USER, demand().client(LIVES_IN_HANKO).amount("44.44").caseReference(
                caseReference)));
        int n = 50;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Future<SoapHttp.Response>> answers = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        try {
            for (int i = 0; i < n; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return post(bytes);
                }));
            }
            start.countDown();
            Set<String> ids = new HashSet<>();
            int fresh = 0;
            for (Future<SoapHttp.Response> f : answers) {
                SoapHttp.Response answer = f.get(120, TimeUnit.SECONDS);
                assertEquals(200, answer.status(), answer.bodyText());
                ids.add(SoapHttp.text(answer.document(), NS, "demandId"));
                if ("false".equals(SoapHttp.text(answer.document(), NS, "repeated"))) {
                    fresh++;
                }
            }
            assertEquals(1, ids.size(), "all answers carry one demandId: " + ids);
            assertEquals(1, fresh, "exactly one answer is the first");
            SoapHttp.Response listed = send(list(HVA, USER, LIVES_IN_HANKO));
            assertEquals(200, listed.status(), listed.bodyText());
            assertEquals(1, occurrences(listed.bodyText(), caseReference), listed.bodyText());
            assertTrue(listed.bodyText().contains(ids.iterator().next()));
        } finally {
            pool.shutdownNow();
        }
    }

    // --- the list's scope

    @Test
    void r_pay_4_theListShowsTheCallersDemandsOnly() {
        String hvas = submitted(HVA, USER, demand().amount("55.55"));
        String helsinkis = submitted(HELSINKI, HELSINKI_USER, demand().client(LIVES_IN_HELSINKI).amount("66.66"));

        SoapHttp.Response own = send(list(HVA, USER, CLIENT));
        assertEquals(200, own.status(), own.bodyText());
        assertTrue(own.bodyText().contains(hvas), own.bodyText());
        for (int i = 0; i < SoapHttp.count(own.document(), NS, "paymentDemand"); i++) {
            assertEquals(HVA, ((org.w3c.dom.Element) own.document().getElementsByTagNameNS(NS, "demander").item(i))
                    .getElementsByTagNameNS(NS, "businessId").item(0).getTextContent());
        }

        // another HVA listing the same client sees none of the first HVA's demands: the client is outside its area,
        // so it gets the uniform answer of an unknown client, with no demand data
        SoapHttp.Response other = send(list(VANTAA_KERAVA, VANTAA_KERAVA_USER, CLIENT));
        assertFault(other, "Client.UnknownClient");
        assertFalse(other.bodyText().contains(hvas), other.bodyText());
        assertEquals(0, SoapHttp.count(other.document(), NS, "paymentDemand"), other.bodyText());

        // Helsinki sees its own and none of the HVA's; the HVA none of Helsinki's
        SoapHttp.Response helsinki = send(list(HELSINKI, HELSINKI_USER, LIVES_IN_HELSINKI));
        assertEquals(200, helsinki.status(), helsinki.bodyText());
        assertTrue(helsinki.bodyText().contains(helsinkis), helsinki.bodyText());
        assertFalse(helsinki.bodyText().contains(hvas), helsinki.bodyText());
        SoapHttp.Response hvaOfHelsinkiClient = send(list(HVA, USER, LIVES_IN_HELSINKI));
        assertFault(hvaOfHelsinkiClient, "Client.UnknownClient");
        assertFalse(hvaOfHelsinkiClient.bodyText().contains(helsinkis), hvaOfHelsinkiClient.bodyText());
    }

    // --- access log and receipts

    @Test
    void accessLog_everyOperationIsRecordedWithTheAccountMasked() throws Exception {
        SoapHttp.Response submitted = send(submit(HVA, USER, demand().amount("429.09")));
        assertEquals(200, submitted.status(), submitted.bodyText());
        String demandId = SoapHttp.text(submitted.document(), NS, "demandId");
        SoapHttp.Response modified = send(modify(HVA, USER, demandId, demand().amount("300.00")));
        assertEquals(200, modified.status(), modified.bodyText());
        SoapHttp.Response listed = send(list(HVA, USER, CLIENT));
        assertEquals(200, listed.status(), listed.bodyText());
        SoapHttp.Response invalidated = send(invalidate(HVA, USER, demandId));
        assertEquals(200, invalidated.status(), invalidated.bodyText());
        SoapHttp.Response refused = send(submit(HVA, USER, demand().amount("-1.00")));
        assertFault(refused, "Client.InvalidPaymentDemand");

        AccessRecord submit = onlyRecord(submitted, "submitPaymentDemand", AccessOutcome.ALLOWED);
        assertEquals("amount=429.09 account=****0785", submit.details());
        AccessRecord modify = onlyRecord(modified, "modifyPaymentDemand", AccessOutcome.ALLOWED);
        assertEquals("demand=" + demandId + " amount=300.00 account=****0785", modify.details());
        AccessRecord list = onlyRecord(listed, "listPaymentDemands", AccessOutcome.ALLOWED);
        assertNull(list.details());
        AccessRecord invalidate = onlyRecord(invalidated, "invalidatePaymentDemand", AccessOutcome.ALLOWED);
        assertEquals("demand=" + demandId, invalidate.details());
        AccessRecord refusal = onlyRecord(refused, "submitPaymentDemand", AccessOutcome.REFUSED);
        assertEquals(FaultCode.INVALID_PAYMENT_DEMAND, refusal.faultCode());
        assertEquals("amount=-1.00 account=****0785", refusal.details());

        for (AccessRecord r : List.of(submit, modify, list, invalidate, refusal)) {
            assertEquals(CLIENT, r.personId());
            assertEquals(HVA, r.organisationId());
            String all = r.toString() + " " + r.details();
            assertFalse(all.replace(" ", "").contains(ACCOUNT_PLAIN), all);
            assertFalse(all.contains("1234 5600"), all);
        }

        Output verify = accessLogCommand("verify");
        assertEquals(AccessLogCommand.OK, verify.status(), verify.out() + verify.err());
    }

    @Test
    void receipt_everyAnswerWithDemandDataCarriesTheAccessReceipt() {
        SoapHttp.Response submitted = send(submit(HVA, USER, demand().amount("77.77")));
        String demandId = SoapHttp.text(submitted.document(), NS, "demandId");
        SoapHttp.Response modified = send(modify(HVA, USER, demandId, demand().amount("77.78")));
        SoapHttp.Response listed = send(list(HVA, USER, CLIENT));
        SoapHttp.Response invalidated = send(invalidate(HVA, USER, demandId));
        for (SoapHttp.Response answer : List.of(submitted, modified, listed, invalidated)) {
            assertEquals(200, answer.status(), answer.bodyText());
            assertNotNull(AccessReceiptHeader.of(answer.document()), "an access receipt on " + answer.bodyText());
            var receipt = AccessReceiptHeader.read(AccessReceiptHeader.of(answer.document()));
            var stored = GATEWAY.storedAccessRecordsOf(answer.correlationId());
            assertEquals(1, stored.size());
            assertEquals(stored.get(0).sequence(), receipt.sequence());
            assertEquals(stored.get(0).hash(), receipt.recordHash());
        }
        SoapHttp.Response refused = send(modify(HVA, USER, demandId, demand().amount("1.00")));
        assertFault(refused, "Client.PaymentDemandInvalidated");
        assertNull(AccessReceiptHeader.of(refused.document()), "a fault carries no receipt");
    }

    // --- helpers: the demand, the requests, sending and reading

    /** A demand of Länsi-Uusimaa's client in Espoo, valid unless a test changes it. */
    static Demand demand() {
        return new Demand();
    }

    static final class Demand {
        String client = CLIENT;
        String benefit = "YLEINEN_ASUMISTUKI";
        String start = "2026-11-01";
        String end = "2026-11-30";
        String amount = "429.09";
        String basis = "TOIMEENTULOTUKILAKI_23";
        String caseReference = "ASIA-2026-0042";
        String account = ACCOUNT;

        Demand client(String value) {
            client = value;
            return this;
        }

        Demand period(String from, String to) {
            start = from;
            end = to;
            return this;
        }

        /** A sum in euros, or null for the whole benefit. */
        Demand amount(String value) {
            amount = value;
            return this;
        }

        Demand basis(String value) {
            basis = value;
            return this;
        }

        Demand caseReference(String value) {
            caseReference = value;
            return this;
        }

        Demand account(String value) {
            account = value;
            return this;
        }

        String xml() {
            return "<pd:demand><pd:clientId>" + client + "</pd:clientId><pd:benefit>" + benefit + "</pd:benefit>"
                    + "<pd:period><cmn:start>" + start + "</cmn:start>"
                    + (end == null ? "" : "<cmn:end>" + end + "</cmn:end>") + "</pd:period>"
                    + "<pd:amount>" + (amount == null ? "<pd:wholeBenefit/>" : "<pd:sum>" + amount + "</pd:sum>")
                    + "</pd:amount><pd:legalBasis>" + basis + "</pd:legalBasis><pd:caseReference>" + caseReference
                    + "</pd:caseReference><pd:payeeAccount>" + account + "</pd:payeeAccount></pd:demand>";
        }
    }

    static Document submit(String organisation, String user, Demand demand) {
        return submit(organisation, user, demand, UUID.randomUUID().toString());
    }

    static Document submit(String organisation, String user, Demand demand, String xroadId) {
        return envelope(organisation, user, "submitPaymentDemand", xroadId,
                "<pd:submitPaymentDemand>" + demand.xml() + "</pd:submitPaymentDemand>");
    }

    static Document modify(String organisation, String user, String demandId, Demand demand) {
        return envelope(organisation, user, "modifyPaymentDemand", UUID.randomUUID().toString(),
                "<pd:modifyPaymentDemand><pd:demandId>" + demandId + "</pd:demandId>" + demand.xml()
                        + "</pd:modifyPaymentDemand>");
    }

    static Document invalidate(String organisation, String user, String demandId) {
        return envelope(organisation, user, "invalidatePaymentDemand", UUID.randomUUID().toString(),
                "<pd:invalidatePaymentDemand><pd:demandId>" + demandId + "</pd:demandId>"
                        + "<pd:reason>Paid by the client</pd:reason></pd:invalidatePaymentDemand>");
    }

    static Document list(String organisation, String user, String client) {
        return envelope(organisation, user, "listPaymentDemands", UUID.randomUUID().toString(),
                "<pd:listPaymentDemands><pd:clientId>" + client + "</pd:clientId></pd:listPaymentDemands>");
    }

    /** A request of {@code organisation}'s subsystem for {@code user}, as samples/*payment-demand*.xml are. */
    static Document envelope(String organisation, String user, String operation, String xroadId, String body) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\""
                + " xmlns:xrd=\"http://x-road.eu/xsd/xroad.xsd\" xmlns:id=\"http://x-road.eu/xsd/identifiers\""
                + " xmlns:pd=\"" + NS + "\" xmlns:cmn=\"urn:fi:kelmu:common:v1\">"
                + "<soapenv:Header>"
                + "<xrd:client id:objectType=\"SUBSYSTEM\"><id:xRoadInstance>FI</id:xRoadInstance>"
                + "<id:memberClass>GOV</id:memberClass><id:memberCode>" + organisation + "</id:memberCode>"
                + "<id:subsystemCode>sosiaalipalvelut</id:subsystemCode></xrd:client>"
                + "<xrd:service id:objectType=\"SERVICE\"><id:xRoadInstance>FI</id:xRoadInstance>"
                + "<id:memberClass>GOV</id:memberClass><id:memberCode>0246246-0</id:memberCode>"
                + "<id:subsystemCode>kelmu</id:subsystemCode><id:serviceCode>" + operation + "</id:serviceCode>"
                + "<id:serviceVersion>v1</id:serviceVersion></xrd:service>"
                + "<xrd:id>" + xroadId + "</xrd:id><xrd:userId>FI" + user + "</xrd:userId>"
                + "<xrd:issue>ASIA-2026-0042</xrd:issue><xrd:protocolVersion>4.0</xrd:protocolVersion>"
                + "</soapenv:Header><soapenv:Body>" + body + "</soapenv:Body></soapenv:Envelope>";
        return SoapHttp.parse(xml.getBytes(StandardCharsets.UTF_8));
    }

    /** Signed by the calling organisation's sandbox key, as a caller signs. */
    static byte[] signed(Document request) {
        String organisation = request.getElementsByTagNameNS("http://x-road.eu/xsd/identifiers", "memberCode").item(0)
                .getTextContent();
        Signing.signerOf(organisation).sign(request, InboundChain.REQUEST_SIGNED_PARTS, 300);
        return Signing.serialise(request);
    }

    static SoapHttp.Response send(Document request) {
        return post(signed(request));
    }

    static SoapHttp.Response post(byte[] bytes) {
        return SoapHttp.post(GATEWAY.gateway().paymentDemandServiceUrl(), bytes, null);
    }

    static String submitted(String organisation, String user, Demand demand) {
        SoapHttp.Response answer = send(submit(organisation, user, demand));
        assertEquals(200, answer.status(), answer.bodyText());
        return SoapHttp.text(answer.document(), NS, "demandId");
    }

    static void assertFault(SoapHttp.Response answer, String code) {
        assertEquals(500, answer.status(), answer.bodyText());
        assertEquals("soap:" + code, answer.faultCode().strip(), answer.bodyText());
    }

    static String faultString(SoapHttp.Response answer) {
        return SoapHttp.text(answer.document(), null, "faultstring");
    }

    /** The fault's words without its correlation id, which differs from answer to answer. */
    static String callerText(SoapHttp.Response answer) {
        assertNotNull(answer.correlationId());
        return faultString(answer).replace(answer.correlationId(), "<correlation id>");
    }

    /** Refused with Client.InvalidPaymentDemand naming {@code field}, and quoting none of {@code values}. */
    static void assertInvalid(Demand demand, String field, String... values) {
        SoapHttp.Response answer = send(submit(HVA, USER, demand));
        assertFault(answer, "Client.InvalidPaymentDemand");
        String text = faultString(answer);
        assertTrue(text.contains(field), text);
        for (String value : values) {
            assertFalse(text.contains(value), "the fault quotes " + value + ": " + text);
            assertFalse(answer.bodyText().contains(value), "the answer quotes " + value + ": " + answer.bodyText());
        }
    }

    /** The one access record of an answer, written for {@code operation} with {@code outcome}. */
    static AccessRecord onlyRecord(SoapHttp.Response answer, String operation, AccessOutcome outcome)
            throws InterruptedException {
        List<AccessRecord> records = GATEWAY.accessRecordsOf(answer.correlationId());
        for (int i = 0; records.isEmpty() && i < 50; i++) { // a refusal may be spooled first
            Thread.sleep(100);
            records = GATEWAY.accessRecordsOf(answer.correlationId());
        }
        assertEquals(1, records.size(), "records of " + answer.correlationId());
        AccessRecord r = records.get(0);
        assertEquals(operation, r.operation());
        assertEquals(outcome, r.outcome());
        assertEquals(PaymentDemandOperations.PURPOSE, r.purpose());
        assertEquals("MAKSUVAATIMUKSET", r.purpose());
        if (outcome == AccessOutcome.ALLOWED) {
            assertEquals(List.of("PAYMENT_DEMANDS"), r.views());
        }
        return r;
    }

    static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    record Output(int status, String out, String err) {
    }

    static Output accessLogCommand(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new AccessLogCommand().run(args, () -> GatewaySettings.database(GATEWAY.gateway().config()),
                () -> GatewayApplication.gatewayCertificates(GATEWAY.gateway().config()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
