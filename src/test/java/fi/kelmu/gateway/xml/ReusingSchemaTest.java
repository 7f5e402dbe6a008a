package fi.kelmu.gateway.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.contract.backend.v1.BackendError;
import fi.kelmu.contract.backend.v1.BenefitDataQuery;
import fi.kelmu.contract.backend.v1.BenefitDataResult;
import fi.kelmu.gateway.config.XmlConfigLoader;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.Unmarshaller;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamReader;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.Schema;
import javax.xml.validation.Validator;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * A {@link ReusingSchema} validates as the schema it wraps does: the same first error for each document, whether it
 * is asked the way CXF validates a SOAP header (a new {@code Validator} per header, an error handler that lets some
 * errors pass) or the way JAXB's validating unmarshaller reads a document (a new {@code ValidatorHandler} per read),
 * from many threads at once, with valid and invalid documents mixed, and after documents abandoned halfway.
 */
class ReusingSchemaTest {

    private static final String XRD = "http://x-road.eu/xsd/xroad.xsd";
    private static final String ID = "http://x-road.eu/xsd/identifiers";
    private static final String SOAP = "http://schemas.xmlsoap.org/soap/envelope/";
    private static final Schema XROAD = XmlConfigLoader.schema("xsd/xroad.xsd");
    private static final Schema BACKEND = XmlConfigLoader.schema("xsd/backend/benefit-backend.xsd");
    private static final String NS = "urn:fi:kela:kelmu:backend:v1";

    private static final List<String> HEADERS = List.of(
            client("SUBSYSTEM", "<id:subsystemCode>sosiaalipalvelut</id:subsystemCode>", ""),
            // a serviceCode in a client identifier: XRoadClientIdentifierType has none
            client("SUBSYSTEM", "<id:subsystemCode>s</id:subsystemCode><id:serviceCode>x</id:serviceCode>", ""),
            client("NOT_A_TYPE", "", ""),
            "<xrd:client xmlns:xrd='" + XRD + "' xmlns:id='" + ID + "' id:objectType='MEMBER'>"
                    + "<id:xRoadInstance>FI</id:xRoadInstance><id:memberClass>GOV</id:memberClass></xrd:client>",
            // SOAP's own header attribute, not in the X-Road schema: the error handler lets it pass
            client("MEMBER", "", " xmlns:soapenv='" + SOAP + "' soapenv:mustUnderstand='1'"));

    private static final List<String> DOCUMENTS = List.of(
            "<benefitDataResult xmlns='" + NS + "' homeMunicipality='049' views='PAYMENTS'>"
                    + "<personId>010180-9026</personId></benefitDataResult>",
            // an element the schema does not have, in the middle
            "<benefitDataResult xmlns='" + NS + "' homeMunicipality='049' views='PAYMENTS'>"
                    + "<personId>010180-9026</personId><surprise/></benefitDataResult>",
            // an error at the root's end
            "<benefitDataResult xmlns='" + NS + "' homeMunicipality='049' views='PAYMENTS'/>",
            // a value the type refuses
            "<benefitDataResult xmlns='" + NS + "' homeMunicipality='049' views='NOT_A_VIEW'>"
                    + "<personId>010180-9026</personId></benefitDataResult>",
            "<backendError xmlns='" + NS + "' code='CLIENT_NOT_FOUND'/>");

    @Test
    void headersValidatedTheWayCxfDoesFaultAsWithTheWrappedSchemaFromManyThreads() throws Exception {
        Schema reusing = ReusingSchema.of(XROAD);
        List<String> expected = HEADERS.stream().map(h -> headerOutcome(XROAD, h)).toList();
        assertNull(expected.get(0));
        assertTrue(expected.get(1).contains("cvc-complex-type.2.4.d") && expected.get(1).contains("id:serviceCode"),
                expected.get(1));
        assertNull(expected.get(4));
        assertEquals(List.of(), concurrently(HEADERS, expected, h -> headerOutcome(reusing, h)));
        assertTrue(((ReusingSchema) reusing).idle() >= 1, "validators given back to the pool");
    }

    @Test
    void jaxbReadingWithTheSchemaReadsAsWithTheWrappedSchemaFromManyThreads() throws Exception {
        Schema reusing = ReusingSchema.of(BACKEND);
        JAXBContext jaxb = JAXBContext.newInstance(BenefitDataQuery.class, BenefitDataResult.class,
                BackendError.class);
        List<String> expected = DOCUMENTS.stream().map(d -> readOutcome(jaxb, BACKEND, d)).toList();
        assertEquals("bound BenefitDataResult", expected.get(0));
        assertTrue(expected.get(1).startsWith("cvc-complex-type.2.4"), expected.get(1));
        assertTrue(expected.get(2).startsWith("cvc-complex-type.2.4.b"), expected.get(2));
        assertTrue(expected.get(3).contains("NOT_A_VIEW") || expected.get(3).startsWith("cvc-"), expected.get(3));
        assertEquals(List.of(), concurrently(DOCUMENTS, expected, d -> readOutcome(jaxb, reusing, d)));
    }

    @Test
    void aHandlerAbandonedHalfwayIsNotGivenBackAndTheNextDocumentStartsClean() throws Exception {
        Schema reusing = ReusingSchema.of(BACKEND);
        JAXBContext jaxb = JAXBContext.newInstance(BenefitDataResult.class, BackendError.class);
        int before = ((ReusingSchema) reusing).idle();
        for (int i = 0; i < 20; i++) {
            assertTrue(readOutcome(jaxb, reusing, DOCUMENTS.get(1)).startsWith("cvc-"));
            assertEquals("bound BenefitDataResult", readOutcome(jaxb, reusing, DOCUMENTS.get(0)));
        }
        assertTrue(((ReusingSchema) reusing).idle() <= before + 1, "one handler serves the clean reads");
    }

    @Test
    void aValidatorGivenAFeatureKeepsItToItselfAndWrapsOnlyOnce() throws Exception {
        Schema reusing = ReusingSchema.of(XROAD);
        assertSame(reusing, ReusingSchema.of(reusing));
        Validator own = reusing.newValidator();
        own.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, false);
        assertFalse(own.getFeature(XMLConstants.FEATURE_SECURE_PROCESSING));
        own.validate(new DOMSource(element(HEADERS.get(0))));
        assertTrue(reusing.newValidator().getFeature(XMLConstants.FEATURE_SECURE_PROCESSING),
                "another user gets a validator as the schema builds it");
    }

    /**
     * The pooled validators and handlers are configured once: after many documents, valid and not, read and
     * validated each with an error handler of its own, every idle one still reports its settings unchanged, so its
     * next document starts with the JDK's short reset instead of rebuilding its schema loader's settings. Without an
     * error handler an error still throws, as the JDK's validator does.
     */
    @Test
    void pooledValidatorsAreConfiguredOnceAndStartEachDocumentWithTheShortReset() throws Exception {
        ReusingSchema reusing = (ReusingSchema) ReusingSchema.of(BACKEND);
        JAXBContext jaxb = JAXBContext.newInstance(BenefitDataQuery.class, BenefitDataResult.class,
                BackendError.class);
        ReusingSchema headers = (ReusingSchema) ReusingSchema.of(XROAD);
        for (int i = 0; i < 5; i++) {
            for (String document : DOCUMENTS) {
                assertEquals(readOutcome(jaxb, BACKEND, document), readOutcome(jaxb, reusing, document));
            }
            for (String header : HEADERS) {
                assertEquals(headerOutcome(XROAD, header), headerOutcome(headers, header));
            }
        }
        assertTrue(reusing.idle() >= 1 && headers.idle() >= 1, "validators and handlers given back to the pools");
        assertTrue(reusing.idleOnesStartShort(), "a handler given back has its settings unchanged");
        assertTrue(headers.idleOnesStartShort(), "a validator given back has its settings unchanged");

        Validator strict = headers.newValidator();
        org.xml.sax.SAXParseException refused = org.junit.jupiter.api.Assertions.assertThrows(
                org.xml.sax.SAXParseException.class, () -> strict.validate(new DOMSource(element(HEADERS.get(1)))));
        assertTrue(refused.getMessage().contains("cvc-complex-type.2.4.d"), refused.getMessage());
        assertTrue(headers.idleOnesStartShort());
    }

    // --- helpers

    private static List<String> concurrently(List<String> inputs, List<String> expected,
            Function<String, String> outcome) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                Callable<List<String>> run = () -> {
                    List<String> wrong = new ArrayList<>();
                    for (int i = 0; i < 250; i++) {
                        int k = (i + offset) % inputs.size();
                        String got = outcome.apply(inputs.get(k));
                        if (!String.valueOf(got).equals(String.valueOf(expected.get(k)))) {
                            wrong.add(k + ": " + got + " instead of " + expected.get(k));
                        }
                    }
                    return wrong;
                };
                runs.add(threads.submit(run));
            }
            List<String> wrong = new ArrayList<>();
            for (Future<List<String>> run : runs) {
                wrong.addAll(run.get());
            }
            return wrong;
        } finally {
            threads.shutdownNow();
        }
    }

    /** As CXF's SoapHeaderInterceptor: a new validator for the header, SOAP's attributes let pass; null if valid. */
    private static String headerOutcome(Schema schema, String header) {
        Exception error = CxfHeaderValidation.firstError(schema, element(header));
        return error == null ? null : error.getClass().getName() + ": " + error.getMessage();
    }

    /** As JAXB with a schema: a new unmarshaller, given the schema; the bound type or the first schema error. */
    private static String readOutcome(JAXBContext jaxb, Schema schema, String document) {
        try {
            Unmarshaller unmarshaller = jaxb.createUnmarshaller();
            unmarshaller.setSchema(schema);
            XMLStreamReader reader = XMLInputFactory.newInstance()
                    .createXMLStreamReader(new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8)));
            Object bound = jakarta.xml.bind.JAXBIntrospector.getValue(unmarshaller.unmarshal(reader));
            return "bound " + bound.getClass().getSimpleName();
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t.getMessage() != null && t.getMessage().contains("cvc-")) {
                    return t.getMessage().substring(t.getMessage().indexOf("cvc-"));
                }
                if (t instanceof jakarta.xml.bind.JAXBException j && t.getCause() == null
                        && j.getLinkedException() != null) {
                    t = j.getLinkedException();
                    if (t.getMessage() != null && t.getMessage().contains("cvc-")) {
                        return t.getMessage().substring(t.getMessage().indexOf("cvc-"));
                    }
                }
            }
            return "refused " + e;
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
