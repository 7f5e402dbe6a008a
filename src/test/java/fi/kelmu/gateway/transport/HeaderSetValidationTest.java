package fi.kelmu.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.config.XmlConfigLoader;
import fi.kelmu.gateway.xml.CxfHeaderValidation;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.validation.Schema;
import org.apache.cxf.binding.soap.Soap11;
import org.apache.cxf.interceptor.Fault;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.SAXParseException;

/**
 * The X-Road headers validated in one pass refuse exactly what CXF's validation of each header as a document of its
 * own refused, with the same first error (the first invalid header in binding order), and let pass what it let pass:
 * SOAP's role and mustUnderstand attributes on a header, a prefix declared on the envelope.
 */
class HeaderSetValidationTest {

    private static final String XRD = "http://x-road.eu/xsd/xroad.xsd";
    private static final String ID = "http://x-road.eu/xsd/identifiers";
    private static final String SOAP = "http://schemas.xmlsoap.org/soap/envelope/";
    /** xroad.xsd as CXF's service schema has it: the schema the WSDLs import. */
    private static final Schema XROAD = XmlConfigLoader.schema("xsd/xroad.xsd");

    /** Headers valid and invalid, each as it would sit in a soap:Header (prefixes of the envelope in scope). */
    private static final List<String> HEADERS = List.of(
            "<xrd:client id:objectType='SUBSYSTEM'><id:xRoadInstance>FI</id:xRoadInstance>"
                    + "<id:memberClass>GOV</id:memberClass><id:memberCode>9000001-1</id:memberCode>"
                    + "<id:subsystemCode>s</id:subsystemCode></xrd:client>",
            "<xrd:client id:objectType='NOT_A_TYPE'><id:xRoadInstance>FI</id:xRoadInstance>"
                    + "<id:memberClass>GOV</id:memberClass><id:memberCode>1</id:memberCode></xrd:client>",
            "<xrd:client id:objectType='MEMBER'><id:xRoadInstance>FI</id:xRoadInstance>"
                    + "<id:memberClass>GOV</id:memberClass></xrd:client>",
            "<xrd:client id:objectType='MEMBER' soapenv:mustUnderstand='1'><id:xRoadInstance>FI</id:xRoadInstance>"
                    + "<id:memberClass>GOV</id:memberClass><id:memberCode>1</id:memberCode></xrd:client>",
            "<xrd:service id:objectType='SERVICE'><id:xRoadInstance>FI</id:xRoadInstance>"
                    + "<id:memberClass>GOV</id:memberClass><id:memberCode>0246246-0</id:memberCode>"
                    + "<id:subsystemCode>kelmu</id:subsystemCode><id:serviceCode>getBenefitData</id:serviceCode>"
                    + "<id:serviceVersion>v1</id:serviceVersion></xrd:service>",
            "<xrd:service id:objectType='SERVICE' soapenv:actor='urn:x'><id:xRoadInstance>FI</id:xRoadInstance>"
                    + "<id:memberClass>GOV</id:memberClass><id:memberCode>0246246-0</id:memberCode>"
                    + "<id:serviceCode>getBenefitData</id:serviceCode><surprise/></xrd:service>",
            "<xrd:id>3b13bdda-dc7a-4373-b4cc-92349dbbc1e1</xrd:id>",
            "<xrd:id><nested/></xrd:id>",
            "<xrd:userId wsu:Id='id-1' xmlns:wsu='http://docs.oasis-open.org/wss/2004/01/"
                    + "oasis-200401-wss-wssecurity-utility-1.0.xsd'>FI010594Y9032</xrd:userId>",
            "<xrd:userId other='x'>FI010594Y9032</xrd:userId>",
            "<xrd:protocolVersion>4.0</xrd:protocolVersion>",
            "<xrd:protocolVersion soapenv:mustUnderstand='1'>4.0</xrd:protocolVersion>",
            "<xrd:issue>kelmu-client-kit</xrd:issue>");

    @Test
    void eachHeaderAloneIsRefusedOrPassedAsCxfDid() {
        for (String header : HEADERS) {
            List<Element> one = headers(List.of(header));
            assertEquals(cxfFirstError(one), oneCause(one), header);
        }
        assertNull(cxfFirstError(headers(List.of(HEADERS.get(3)))), "a mustUnderstand attribute passes");
        assertNotNull(cxfFirstError(headers(List.of(HEADERS.get(7)))), "an element inside xrd:id is refused");
    }

    @Test
    void setsOfHeadersInAnyOrderGiveCxfsFirstErrorAsTheFaultsCause() {
        Random random = new Random(20261128);
        int refused = 0;
        for (int i = 0; i < 400; i++) {
            List<String> chosen = new ArrayList<>();
            for (int k = 1 + random.nextInt(7); k > 0; k--) {
                chosen.add(HEADERS.get(random.nextInt(HEADERS.size())));
            }
            List<Element> set = headers(chosen);
            String expected = cxfFirstError(set);
            assertEquals(expected, oneCause(set), String.join("\n", chosen));
            refused += expected == null ? 0 : 1;
        }
        assertTrue(refused > 100 && refused < 380, refused + " of 400 sets refused: both kinds are tried");
    }

    @Test
    void theFaultIsCxfsHeaderFaultAClientFault() {
        Fault fault = oneFault(headers(List.of(HEADERS.get(0), HEADERS.get(2))));
        assertNotNull(fault);
        assertTrue(fault.getMessage().startsWith("Could not validate soapheader"), fault.getMessage());
        assertEquals(Fault.FAULT_CODE_CLIENT, fault.getFaultCode());
        assertTrue(fault.getCause() instanceof SAXParseException, String.valueOf(fault.getCause()));
    }

    // --- helpers

    /** The headers, parsed inside one envelope whose root declares the prefixes they use. */
    private static List<Element> headers(List<String> headers) {
        String xml = "<soapenv:Envelope xmlns:soapenv='" + SOAP + "' xmlns:xrd='" + XRD + "' xmlns:id='" + ID
                + "'><soapenv:Header>" + String.join("", headers) + "</soapenv:Header><soapenv:Body/></soapenv:Envelope>";
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            Document document = factory.newDocumentBuilder()
                    .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            Element header = (Element) document.getDocumentElement().getFirstChild();
            List<Element> elements = new ArrayList<>();
            for (org.w3c.dom.Node n = header.getFirstChild(); n != null; n = n.getNextSibling()) {
                elements.add((Element) n);
            }
            return elements;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Fault oneFault(List<Element> headers) {
        try {
            HeaderSetValidation.validate(headers, Soap11.getInstance());
            return null;
        } catch (Fault fault) {
            return fault;
        }
    }

    private static String oneCause(List<Element> headers) {
        Fault fault = oneFault(headers);
        return fault == null ? null : fault.getCause().getMessage();
    }

    /** As CXF's SoapHeaderInterceptor: each header where it stands, a validator each, in order; the first error. */
    private static String cxfFirstError(List<Element> headers) {
        for (Element element : headers) {
            Exception error = CxfHeaderValidation.firstError(XROAD, element);
            if (error != null) {
                return error.getMessage();
            }
        }
        return null;
    }
}
