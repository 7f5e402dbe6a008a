package fi.kelmu.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.config.XmlConfigLoader;
import fi.kelmu.gateway.xml.Pool;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.Schema;
import javax.xml.validation.Validator;
import org.apache.cxf.binding.soap.Soap11;
import org.apache.cxf.interceptor.Fault;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The X-Road headers validated with pooled validators, as {@link HeaderSchemaValidation} does, fault exactly as
 * a validator built for the one header (CXF's way) does: same first error, same fault text and code, also when one
 * pool serves many threads at once and valid and invalid headers come mixed.
 */
class HeaderSchemaValidationTest {

    private static final Schema SCHEMA = XmlConfigLoader.schema("xsd/xroad.xsd");
    private static final String XRD = "http://x-road.eu/xsd/xroad.xsd";
    private static final String ID = "http://x-road.eu/xsd/identifiers";
    private static final String SOAP = "http://schemas.xmlsoap.org/soap/envelope/";

    private static final String VALID = client("SUBSYSTEM", "<id:subsystemCode>sosiaalipalvelut</id:subsystemCode>",
            "");
    /** A serviceCode in a client identifier: XRoadClientIdentifierType has none. */
    private static final String EXTRA_ELEMENT = client("SUBSYSTEM",
            "<id:subsystemCode>s</id:subsystemCode><id:serviceCode>getBenefitData</id:serviceCode>", "");
    private static final String BAD_OBJECT_TYPE = client("NOT_A_TYPE", "", "");
    private static final String MISSING_MEMBER_CODE = "<xrd:client xmlns:xrd='" + XRD + "' xmlns:id='" + ID
            + "' id:objectType='MEMBER'><id:xRoadInstance>FI</id:xRoadInstance><id:memberClass>GOV</id:memberClass>"
            + "</xrd:client>";
    /** SOAP's own header attribute, which the X-Road schema does not declare: CXF lets it pass. */
    private static final String MUST_UNDERSTAND = client("MEMBER", "",
            " xmlns:soapenv='" + SOAP + "' soapenv:mustUnderstand='1'");

    @Test
    void pooledValidationFaultsAsAFreshValidatorDoes() {
        Pool<Validator> pool = HeaderSchemaValidation.pool(SCHEMA);
        for (String header : List.of(VALID, EXTRA_ELEMENT, BAD_OBJECT_TYPE, MISSING_MEMBER_CODE, MUST_UNDERSTAND)) {
            assertEquals(fresh(header), pooled(pool, header), header);
        }
        assertNull(fresh(VALID));
        assertNull(fresh(MUST_UNDERSTAND));
        String extra = fresh(EXTRA_ELEMENT);
        assertTrue(extra.startsWith("Could not validate soapheader caused by: org.xml.sax.SAXParseException"), extra);
        assertTrue(extra.contains("cvc-complex-type.2.4.d") && extra.contains("id:serviceCode"), extra);
    }

    @Test
    void onePoolServingManyThreadsAtOnceFaultsAsFreshValidatorsDo() throws Exception {
        Pool<Validator> pool = HeaderSchemaValidation.pool(SCHEMA);
        List<String> headers = List.of(VALID, EXTRA_ELEMENT, BAD_OBJECT_TYPE, MISSING_MEMBER_CODE, MUST_UNDERSTAND);
        List<String> expected = new ArrayList<>();
        headers.forEach(h -> expected.add(fresh(h)));
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                runs.add(threads.submit(() -> {
                    List<String> wrong = new ArrayList<>();
                    for (int i = 0; i < 300; i++) {
                        int k = (i + offset) % headers.size();
                        String got = pooled(pool, headers.get(k));
                        if (!String.valueOf(got).equals(String.valueOf(expected.get(k)))) {
                            wrong.add(k + ": " + got);
                        }
                    }
                    return wrong;
                }));
            }
            for (Future<List<String>> run : runs) {
                assertEquals(List.of(), run.get());
            }
        } finally {
            threads.shutdownNow();
        }
        assertTrue(pool.idleCount() >= 1 && pool.idleCount() <= Pool.defaultSize(), "pool kept " + pool.idleCount());
    }

    /** The fault text of pooled validation (client fault), or null for a valid header. */
    private static String pooled(Pool<Validator> pool, String header) {
        try {
            HeaderSchemaValidation.validate(pool, element(header), Soap11.getInstance());
            return null;
        } catch (Fault f) {
            assertEquals(Fault.FAULT_CODE_CLIENT, f.getFaultCode());
            return f.getMessage();
        }
    }

    /** What CXF's SoapHeaderInterceptor does: a validator built for the header, SOAP attributes let pass. */
    private static String fresh(String header) {
        Element element = element(header);
        Validator validator = SCHEMA.newValidator();
        validator.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
            }

            @Override
            public void error(SAXParseException e) throws SAXException {
                String text = e.getMessage();
                if (text.contains(element.getLocalName()) && (text.contains(":actor")
                        || text.contains(":mustUnderstand"))) {
                    return;
                }
                throw e;
            }

            @Override
            public void fatalError(SAXParseException e) throws SAXException {
                throw e;
            }
        });
        try {
            validator.validate(new DOMSource(element));
            return null;
        } catch (Exception e) {
            return "Could not validate soapheader caused by: " + e.getClass().getCanonicalName() + ": "
                    + e.getMessage() + ".";
        }
    }

    private static String client(String objectType, String codes, String extraAttributes) {
        return "<xrd:client xmlns:xrd='" + XRD + "' xmlns:id='" + ID + "' id:objectType='" + objectType + "'"
                + extraAttributes + "><id:xRoadInstance>FI</id:xRoadInstance><id:memberClass>GOV</id:memberClass>"
                + "<id:memberCode>9000001-1</id:memberCode>" + codes + "</xrd:client>";
    }

    private static Element element(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
                    .getDocumentElement();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
