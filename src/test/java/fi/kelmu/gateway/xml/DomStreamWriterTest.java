package fi.kelmu.gateway.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.stream.XMLStreamWriter;
import org.apache.cxf.staxutils.StaxUtils;
import org.apache.cxf.staxutils.W3CDOMStreamReader;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The answer's DOM written out as it stands: the bytes CXF's DOM-to-stream copy gave, and always well-formed. */
class DomStreamWriterTest {

    private static final String SAMPLE = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
            + "<soap:Header><x:h xmlns:x=\"urn:x\" xmlns:wsu=\"urn:wsu\" wsu:Id=\"id-1\" plain=\"a &amp; &lt;b&gt; &quot;q&quot;\">"
            + "t</x:h></soap:Header><soap:Body><r xmlns=\"urn:r\" xmlns:c=\"urn:c\"><c:v>1 &lt; 2 &amp; 3 &gt; 2</c:v>"
            + "<!--note--><![CDATA[<raw>]]><?pi data?><e xml:lang=\"fi\">ä €</e><n xmlns=\"\">none</n></r>"
            + "</soap:Body></soap:Envelope>";

    /** CXF's copy drops processing instructions (which a SOAP message must not hold); this writer keeps them. */
    @Test
    void writesTheSameBytesAsCxfsCopyOfTheTree() throws Exception {
        Document document = parse(SAMPLE.replace("<?pi data?>", ""));
        assertEquals(viaCxfCopy(document), viaDomStreamWriter(document));
    }

    @Test
    void theOutputParsesBackToTheSameTree() throws Exception {
        Document document = parse(SAMPLE);
        Document again = parse(viaDomStreamWriter(document));
        assertTrue(document.isEqualNode(again), viaDomStreamWriter(document));
    }

    @Test
    void aPrefixUsedWithoutADeclarationInTheTreeIsDeclaredWhereItIsUsed() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document document = factory.newDocumentBuilder().newDocument();
        Element root = document.createElementNS("urn:a", "a:root");
        document.appendChild(root);
        Element child = document.createElementNS("urn:b", "b:child");
        child.setAttributeNS("urn:c", "c:attr", "v");
        root.appendChild(child);

        String written = viaDomStreamWriter(document);

        assertEquals("<a:root xmlns:a=\"urn:a\"><b:child xmlns:b=\"urn:b\" xmlns:c=\"urn:c\" c:attr=\"v\"/></a:root>",
                written);
        Document again = parse(written);
        assertEquals("urn:c", ((Element) again.getDocumentElement().getFirstChild()).getAttributeNodeNS("urn:c", "attr")
                .getNamespaceURI());
    }

    /**
     * The raw write of a whole document parses back to the tree the call-by-call write parses back to: the same
     * elements, namespace declarations in the same places, attributes and character data; only escapes may differ.
     */
    @Test
    void theRawWriteOfADocumentParsesBackToTheSameTreeAsTheCallByCallWrite() throws Exception {
        assertSameTree(parse(SAMPLE), "sample");
        Random random = new Random(20261128);
        for (int i = 0; i < 400; i++) {
            assertSameTree(randomTree(random), "tree " + i);
        }
    }

    /** What the builder does not spell itself goes the call-by-call way, and nothing is written twice. */
    @Test
    void contentTheBuilderDoesNotSpellIsWrittenCallByCall() throws Exception {
        for (String odd : List.of("text a\u0001b", "comment a--b", "comment a-", "pi a?>b")) {
            Document document = textDocument("x");
            String content = odd.substring(odd.indexOf(' ') + 1);
            Element root = document.getDocumentElement();
            switch (odd.substring(0, odd.indexOf(' '))) {
                case "text" -> root.appendChild(document.createTextNode(content));
                case "comment" -> root.appendChild(document.createComment(content));
                default -> root.appendChild(document.createProcessingInstruction("p", content));
            }
            assertNull(DomStreamWriter.markup(document), odd);
            String expected;
            try {
                expected = viaCalls(document);
            } catch (Exception e) {
                expected = "failed: " + e.getClass().getName();
            }
            String actual;
            try {
                actual = viaRawWrite(document);
            } catch (Exception e) {
                actual = "failed: " + e.getClass().getName();
            }
            assertEquals(expected, actual, odd);
        }
        Document cdata = textDocument("x");
        cdata.getDocumentElement().appendChild(cdata.createCDATASection("a]]>b"));
        assertNull(DomStreamWriter.markup(cdata));
        Document halfPair = textDocument("a\ud83d");
        assertNull(DomStreamWriter.markup(halfPair));
    }

    private static Document textDocument(String text) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document document = factory.newDocumentBuilder().newDocument();
        Element root = document.createElementNS(null, "r");
        root.appendChild(document.createTextNode(text));
        document.appendChild(root);
        return document;
    }

    private static void assertSameTree(Document document, String label) throws Exception {
        String calls = viaCalls(document);
        String raw = viaRawWrite(document);
        assertEquals(DomStreamWriter.markup(document), raw, label + ": written raw");
        Document expected = parse(calls);
        Document actual = parse(raw);
        expected.normalizeDocument();
        actual.normalizeDocument();
        assertTrue(expected.isEqualNode(actual), label + ":\n" + calls + "\n" + raw);
    }

    /** What the raw write must reproduce: escapes, line breaks, empty elements, redeclared and unbound prefixes. */
    private static Document randomTree(Random random) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document document = factory.newDocumentBuilder().newDocument();
        Element root = document.createElementNS("urn:r", "r:root");
        root.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:r", "urn:r");
        document.appendChild(root);
        fill(document, root, random, 0);
        return document;
    }

    private static void fill(Document document, Element parent, Random random, int depth) {
        String[] prefixes = {"", "a", "b", "r", "wsu"}; // of an element: any; of an attribute: the namespace's
        String[] namespaces = {"", "urn:a", "urn:b", "urn:r", "urn:wsu&\"<x>"};
        int children = depth > 3 ? 0 : random.nextInt(4);
        for (int c = 0; c < children; c++) {
            switch (random.nextInt(5)) {
                case 0, 1 -> {
                    int p = random.nextInt(prefixes.length);
                    int n = random.nextInt(namespaces.length);
                    Element child = namespaces[n].isEmpty() ? document.createElementNS(null, "e" + c)
                            : document.createElementNS(namespaces[n], (prefixes[p].isEmpty() ? "" : prefixes[p] + ":")
                                    + "e" + c);
                    if (random.nextBoolean() && !namespaces[n].isEmpty()) {
                        String declared = prefixes[p].isEmpty() ? "xmlns" : "xmlns:" + prefixes[p];
                        child.setAttributeNS("http://www.w3.org/2000/xmlns/", declared, namespaces[n]);
                    }
                    // an attribute's prefix always names the same namespace, and not the element's other one (a
                    // DOM that binds one prefix to two namespaces on one element has no well-formed output)
                    for (int a = random.nextInt(3); a > 0; a--) {
                        int an = random.nextInt(namespaces.length);
                        if (namespaces[an].isEmpty()) {
                            child.setAttributeNS(null, "at" + a, randomText(random));
                        } else if (!prefixes[an].equals(prefixes[p]) || an == n) {
                            child.setAttributeNS(namespaces[an], prefixes[an] + ":at" + a, randomText(random));
                        }
                    }
                    if (random.nextInt(6) == 0) {
                        child.setAttributeNS("http://www.w3.org/XML/1998/namespace", "xml:lang", "fi");
                    }
                    parent.appendChild(child);
                    fill(document, child, random, depth + 1);
                }
                case 2 -> parent.appendChild(document.createTextNode(randomText(random)));
                case 3 -> parent.appendChild(document.createComment("c" + c));
                default -> parent.appendChild(document.createCDATASection("<d" + c + ">"));
            }
        }
    }

    private static String randomText(Random random) {
        String alphabet = "ab &<>\"'\r\n\t]\u00e4\u20ac\ud83d\ude00=;";
        StringBuilder text = new StringBuilder();
        // now and then longer than Woodstox's buffer, whose chunks must not change the escapes
        for (int i = random.nextInt(10) == 0 ? 5_000 + random.nextInt(20_000) : random.nextInt(12); i > 0; i--) {
            int at = random.nextInt(alphabet.length());
            char c = alphabet.charAt(at);
            if (Character.isHighSurrogate(c)) {
                text.append(c).append(alphabet.charAt(at + 1));
            } else if (!Character.isLowSurrogate(c)) {
                text.append(c);
            }
        }
        return text.toString();
    }

    private static String viaCalls(Document document) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        XMLStreamWriter writer = StaxUtils.createXMLStreamWriter(out, "UTF-8");
        DomStreamWriter.writeChildren(document, writer);
        writer.flush();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String viaRawWrite(Document document) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        XMLStreamWriter writer = StaxUtils.createXMLStreamWriter(out, "UTF-8");
        DomStreamWriter.writeDocument(document, writer);
        writer.flush();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String viaCxfCopy(Document document) throws Exception {
        StringWriter out = new StringWriter();
        XMLStreamWriter writer = StaxUtils.createXMLStreamWriter(out);
        StaxUtils.copy(new W3CDOMStreamReader(document), writer);
        writer.flush();
        return out.toString();
    }

    private static String viaDomStreamWriter(Document document) throws Exception {
        StringWriter out = new StringWriter();
        XMLStreamWriter writer = StaxUtils.createXMLStreamWriter(out);
        DomStreamWriter.writeChildren(document, writer);
        writer.flush();
        return out.toString();
    }
}
