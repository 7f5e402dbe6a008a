package fi.kelmu.gateway.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
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
