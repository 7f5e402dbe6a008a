package fi.kelmu.gateway.support;

import fi.kelmu.gateway.transport.InboundChain;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * PaymentDemandService requests as a caller sends them: the shipped samples ({@code samples/*-payment-demand*.xml}),
 * the calling organisation put in, a fresh X-Road id (the idempotency key's second half), signed with the
 * organisation's sandbox key; and the parts of an answer the tests look at.
 */
public final class PaymentDemandMessages {

    public static final String NS = "urn:fi:kelmu:payment-demand:v1";

    private PaymentDemandMessages() {
    }

    /** {@code samples/<file>} with {@code organisation} as the X-Road client and a fresh X-Road id, unsigned. */
    public static Document sample(String file, String organisation) {
        Document doc;
        try {
            doc = SoapHttp.parse(Files.readAllBytes(Path.of(System.getProperty("kelmu.project.dir", "."), "samples",
                    file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ((Element) doc.getElementsByTagNameNS(XRoadHeaders.NS, "client").item(0))
                .getElementsByTagNameNS(XRoadHeaders.ID_NS, "memberCode").item(0).setTextContent(organisation);
        return Signing.freshId(doc);
    }

    /** The sample submit of {@code organisation} with {@code caseReference}, a fresh X-Road id. */
    public static Document submit(String organisation, String caseReference) {
        Document doc = sample("submit-payment-demand.xml", organisation);
        doc.getElementsByTagNameNS(NS, "caseReference").item(0).setTextContent(caseReference);
        return doc;
    }

    /** The X-Road id of {@code request}. */
    public static String xroadId(Document request) {
        return doc(request, XRoadHeaders.NS, "id");
    }

    /** The idempotency key of {@code request} sent by {@code organisation}: its Y-tunnus, ':', the X-Road id. */
    public static String idempotencyKey(String organisation, Document request) {
        return organisation + ":" + xroadId(request);
    }

    /** {@code request} signed (Timestamp of 300 s) with {@code organisation}'s sandbox key, as bytes. */
    public static byte[] signed(Document request, String organisation) {
        Signing.signerOf(organisation).sign(request, InboundChain.REQUEST_SIGNED_PARTS, 300);
        return Signing.serialise(request);
    }

    /** An answer's demandId (the first). */
    public static String demandId(SoapHttp.Response answer) {
        return doc(answer.document(), NS, "demandId");
    }

    /** An answer's repeated flag. */
    public static boolean repeated(SoapHttp.Response answer) {
        return Boolean.parseBoolean(doc(answer.document(), NS, "repeated"));
    }

    /** An answer's delivery state (the first demand's): PENDING or DELIVERED. */
    public static String deliveryState(SoapHttp.Response answer) {
        Element delivery = (Element) answer.document().getElementsByTagNameNS(NS, "delivery").item(0);
        return delivery == null ? null : delivery.getElementsByTagNameNS(NS, "state").item(0).getTextContent();
    }

    /** The delivery state of demand {@code demandId} in a list answer, or null when it is not listed. */
    public static String listedDeliveryState(SoapHttp.Response list, String demandId) {
        var demands = list.document().getElementsByTagNameNS(NS, "paymentDemand");
        for (int i = 0; i < demands.getLength(); i++) {
            Element demand = (Element) demands.item(i);
            if (demandId.equals(demand.getElementsByTagNameNS(NS, "demandId").item(0).getTextContent())) {
                Element delivery = (Element) demand.getElementsByTagNameNS(NS, "delivery").item(0);
                return delivery.getElementsByTagNameNS(NS, "state").item(0).getTextContent();
            }
        }
        return null;
    }

    private static String doc(Document doc, String ns, String name) {
        var nodes = doc.getElementsByTagNameNS(ns, name);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }
}
