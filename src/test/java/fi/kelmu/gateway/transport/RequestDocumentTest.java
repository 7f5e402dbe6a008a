package fi.kelmu.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.xml.Dom;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;
import org.apache.cxf.binding.soap.Soap11;
import org.apache.cxf.binding.soap.SoapFault;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.binding.soap.interceptor.ReadHeadersInterceptor;
import org.apache.cxf.binding.soap.interceptor.StartBodyInterceptor;
import org.apache.cxf.message.Exchange;
import org.apache.cxf.message.ExchangeImpl;
import org.apache.cxf.message.MessageImpl;
import org.apache.cxf.staxutils.StaxUtils;
import org.apache.xml.security.Init;
import org.apache.xml.security.c14n.Canonicalizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Node;

/** The request's plain DOM, as CXF's header reader and {@link RequestDocument} build it from the stream. */
class RequestDocumentTest {

    /** Whitespace, comments, CDATA, a processing instruction, entities, and namespaces declared at every level. */
    private static final String REQUEST = """
            <?xml version="1.0" encoding="UTF-8"?>
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:x="urn:x">
              <s:Header>
                <x:id>7f3c</x:id>
              </s:Header>
              <s:Body xmlns:wsu="urn:wsu" wsu:Id="id-1">
                <!-- before the operation -->
                <op xmlns="urn:op" xmlns:c="urn:c" c:flag="1 &amp; 2">
                  <c:value>1 &lt; 2 &gt; 0 &#xE4;</c:value><![CDATA[<raw> & text]]>
                  <?note keep me?>
                  <inner xmlns=""><x:deep>text</x:deep></inner>
                </op>
              </s:Body>
            </s:Envelope>
            """;

    @Test
    void everyNodeOfTheRequestIsInTheDocumentAsReceived() throws Exception {
        SoapMessage message = read(REQUEST);
        Document document = RequestDocument.of(message);

        // the same bytes parsed by the JDK: the canonical forms, comments included, of Header and Body are the same
        // (as with SAAJ, the Envelope's own text after the Body is not read: nothing signs it)
        Document jdk = parsedByTheJdk(REQUEST);
        for (String part : new String[] {"Header", "Body"}) {
            assertArrayEquals(canonical(Dom.firstChild(jdk.getDocumentElement(), Dom.SOAP_NS, part)),
                    canonical(Dom.firstChild(document.getDocumentElement(), Dom.SOAP_NS, part)), part);
        }
        assertEquals("id-1", RequestDocument.body(message).getAttributeNS("urn:wsu", "Id"));
        assertEquals("x:id", Dom.children(RequestDocument.header(message)).get(0).getNodeName());
    }

    @Test
    void theChainReadsOnFromTheBodysFirstElement() throws Exception {
        SoapMessage message = read(REQUEST);

        XMLStreamReader reader = message.getContent(XMLStreamReader.class);
        assertEquals(XMLStreamConstants.START_ELEMENT, reader.getEventType());
        assertEquals("urn:op", reader.getNamespaceURI());
        assertEquals("op", reader.getLocalName());
        // the reader reads the document, not a copy of it
        assertSame(RequestDocument.of(message), RequestDocument.body(message).getOwnerDocument());
    }

    @Test
    void textTheParserSplitsIsOneNode() throws Exception {
        String text = "a".repeat(20_000) + "&amp;" + "b".repeat(20_000);
        SoapMessage message = read("<s:Envelope xmlns:s=\"" + Dom.SOAP_NS + "\"><s:Body><op>" + text
                + "</op></s:Body></s:Envelope>");

        Node op = RequestDocument.body(message).getFirstChild();
        assertEquals(1, op.getChildNodes().getLength());
        assertEquals(40_001, op.getTextContent().length());
    }

    @Test
    void anEnvelopeWithoutABodyIsTheSendersFault() {
        SoapFault fault = assertThrows(SoapFault.class, () -> read("<s:Envelope xmlns:s=\"" + Dom.SOAP_NS
                + "\"><s:Header/></s:Envelope>"));
        assertEquals(Soap11.getInstance().getSender(), fault.getFaultCode());
    }

    /**
     * A Body only inside a header; and one hidden in a header before the real one (CXF's header reader stops at the
     * first Body start tag, wherever it is, so the Envelope has none yet): refused, never read from the hidden one.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "<s:Header><s:Body/></s:Header><x:Body xmlns:x=\"urn:x\"><op/></x:Body>",
        "<s:Header><x:wrap xmlns:x=\"urn:x\"><s:Body><op>hidden</op></s:Body></x:wrap></s:Header>"
                + "<s:Body><op>real</op></s:Body>"})
    void aBodyElsewhereThanInTheEnvelopeIsNoBody(String content) {
        SoapFault fault = assertThrows(SoapFault.class,
                () -> read("<s:Envelope xmlns:s=\"" + Dom.SOAP_NS + "\">" + content + "</s:Envelope>"));
        assertEquals(Soap11.getInstance().getSender(), fault.getFaultCode());
        assertTrue(fault.getMessage().contains("no SOAP Body"), fault.getMessage());
    }

    @Test
    void aBodyCutShortIsTheSendersFault() {
        SoapFault fault = assertThrows(SoapFault.class, () -> read("<s:Envelope xmlns:s=\"" + Dom.SOAP_NS
                + "\"><s:Body><op><a>1</a>"));
        assertEquals(Soap11.getInstance().getSender(), fault.getFaultCode());
        assertTrue(fault.getMessage().contains("cannot be read"), fault.getMessage());
    }

    /** The part of the inbound chain that reads the request: this class's two steps around CXF's own. */
    private static SoapMessage read(String xml) throws Exception {
        SoapMessage message = new SoapMessage(new MessageImpl());
        Exchange exchange = new ExchangeImpl();
        exchange.setInMessage(message);
        message.setExchange(exchange);
        message.setContent(XMLStreamReader.class,
                StaxUtils.createXMLStreamReader(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))));
        new RequestDocument.Prepare().handleMessage(message);
        new ReadHeadersInterceptor(null).handleMessage(message);
        new StartBodyInterceptor().handleMessage(message);
        new RequestDocument.ReadBody().handleMessage(message);
        return message;
    }

    private static Document parsedByTheJdk(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] canonical(Node node) throws Exception {
        Init.init();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Canonicalizer.getInstance(Canonicalizer.ALGO_ID_C14N_EXCL_WITH_COMMENTS).canonicalizeSubtree(node, out);
        return out.toByteArray();
    }
}
