package fi.kelmu.gateway.transport;

import fi.kelmu.gateway.audit.AccessReceipt;
import fi.kelmu.gateway.xml.Dom;
import javax.xml.namespace.QName;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The response header that gives the caller the receipt of its access record (xsd/access-receipt.xsd,
 * docs/contract.md "Access receipt", docs/access-log.md "Receipts"):
 * <pre>
 * &lt;rcpt:accessReceipt xmlns:rcpt="urn:fi:kelmu:access-log:v1"&gt;
 *   &lt;rcpt:sequence&gt;42&lt;/rcpt:sequence&gt;
 *   &lt;rcpt:recordHash&gt;3f5a…&lt;/rcpt:recordHash&gt;
 * &lt;/rcpt:accessReceipt&gt;
 * </pre>
 * Only answers that carry client data have it, after {@code requestHash}; the gateway's response signature
 * covers it.
 */
public final class AccessReceiptHeader {

    public static final String NS = "urn:fi:kelmu:access-log:v1";
    public static final QName QNAME = new QName(NS, "accessReceipt");

    private AccessReceiptHeader() {
    }

    /** The header element for {@code receipt}, in {@code doc}. */
    public static Element element(Document doc, AccessReceipt receipt) {
        Element header = doc.createElementNS(NS, "rcpt:accessReceipt");
        Element sequence = doc.createElementNS(NS, "rcpt:sequence");
        sequence.setTextContent(Long.toString(receipt.sequence()));
        Element hash = doc.createElementNS(NS, "rcpt:recordHash");
        hash.setTextContent(receipt.recordHash());
        header.appendChild(sequence);
        header.appendChild(hash);
        return header;
    }

    /** The receipt an {@code accessReceipt} element states. */
    public static AccessReceipt read(Element header) {
        if (!Dom.is(header, QNAME)) {
            throw new IllegalArgumentException("not an access receipt: " + Dom.name(header));
        }
        String sequence = Dom.childText(header, NS, "sequence");
        String hash = Dom.childText(header, NS, "recordHash");
        if (sequence == null || hash == null) {
            throw new IllegalArgumentException("an access receipt has a sequence and a recordHash");
        }
        return AccessReceipt.parse(sequence + ":" + hash);
    }

    /** The {@code accessReceipt} header of an envelope, or null when it has none. */
    public static Element of(Document envelope) {
        Element header = Dom.soapHeader(envelope.getDocumentElement());
        return header == null ? null : Dom.firstChild(header, NS, QNAME.getLocalPart());
    }
}
