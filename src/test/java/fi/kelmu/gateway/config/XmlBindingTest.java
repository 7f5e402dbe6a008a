package fi.kelmu.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.contract.backend.v1.BackendError;
import fi.kelmu.contract.backend.v1.BenefitDataQuery;
import fi.kelmu.contract.backend.v1.BenefitDataResult;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Unmarshaller;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamReader;
import javax.xml.validation.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link XmlBinding} reuses unmarshallers and validators: it must accept and refuse exactly what a JAXB unmarshaller
 * given the schema (built for the one call, as before) accepts and refuses, with the validator's same first error,
 * from any number of threads at once, and an invalid document must not spoil what is reused for the next one.
 */
class XmlBindingTest {

    private static final Schema SCHEMA = XmlConfigLoader.schema("xsd/backend/benefit-backend.xsd");
    private static final JAXBContext JAXB = context();
    private static final ExecutorService THREADS = Executors.newFixedThreadPool(8);

    private static final String NS = "urn:fi:kela:kelmu:backend:v1";
    private static final byte[] VALID = resource("backend/benefit-data-result-payments.xml");
    private static final byte[] INVALID = resource("backend/benefit-data-result-schema-invalid.xml");
    /** Valid so far, then an element the schema does not have: the error comes in the middle of the document. */
    private static final byte[] UNKNOWN_ELEMENT = ("<benefitDataResult xmlns='" + NS + "' homeMunicipality='049'"
            + " views='PAYMENTS'><personId>010180-9026</personId><surprise/></benefitDataResult>")
            .getBytes(StandardCharsets.UTF_8);
    /** Ends too early: the error comes at the root's end tag. */
    private static final byte[] INCOMPLETE = ("<benefitDataResult xmlns='" + NS + "' homeMunicipality='049'"
            + " views='PAYMENTS'/>").getBytes(StandardCharsets.UTF_8);
    private static final byte[] ERROR_BODY = ("<backendError xmlns='" + NS + "' code='CLIENT_NOT_FOUND'/>")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] NOT_XML = "not xml at all".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ENTITY = ("<?xml version='1.0'?><!DOCTYPE r [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>"
            + "<backendError xmlns='" + NS + "' code='x'><message>&e;</message></backendError>").getBytes(StandardCharsets.UTF_8);

    @AfterAll
    static void stop() {
        THREADS.shutdownNow();
    }

    @Test
    void validDocumentIsBoundAsAFreshValidatingUnmarshallerBindsIt() throws Exception {
        XmlBinding binding = new XmlBinding(JAXB, SCHEMA);
        BenefitDataResult pooled = binding.unmarshal(new ByteArrayInputStream(VALID), BenefitDataResult.class);
        BenefitDataResult fresh = freshUnmarshal(VALID, BenefitDataResult.class);
        assertEquals(marshal(fresh), marshal(pooled));
        assertEquals("010180-9026", pooled.getPersonId());
        assertEquals(2, pooled.getPayment().size());
    }

    @Test
    void invalidDocumentsAreRefusedWithTheSameFirstErrorAsAFreshValidatingUnmarshaller() {
        XmlBinding binding = new XmlBinding(JAXB, SCHEMA);
        for (byte[] document : List.of(INVALID, UNKNOWN_ELEMENT, INCOMPLETE)) {
            String expected = freshError(document);
            assertTrue(expected.startsWith("cvc-"), expected);
            assertEquals(expected, pooledError(binding, document));
        }
    }

    @Test
    void notWellFormedAndEntitiesAreStillRefused() {
        XmlBinding binding = new XmlBinding(JAXB, SCHEMA);
        for (byte[] document : List.of(NOT_XML, ENTITY)) {
            assertThrows(Exception.class, () -> freshUnmarshal(document, BackendError.class));
            Exception e = assertThrows(Exception.class,
                    () -> binding.unmarshal(new ByteArrayInputStream(document), BackendError.class));
            assertTrue(e instanceof JAXBException || e instanceof javax.xml.stream.XMLStreamException, e.toString());
        }
    }

    @Test
    void documentRootMustBeTheTypeAsked() throws Exception {
        XmlBinding binding = new XmlBinding(JAXB, SCHEMA);
        assertEquals("CLIENT_NOT_FOUND",
                binding.unmarshalDocument(new ByteArrayInputStream(ERROR_BODY), BackendError.class).getCode());
        JAXBException wrongRoot = assertThrows(JAXBException.class,
                () -> binding.unmarshalDocument(new ByteArrayInputStream(ERROR_BODY), BenefitDataResult.class));
        assertTrue(wrongRoot.getMessage().contains("not BenefitDataResult"), wrongRoot.getMessage());
    }

    @Test
    void anInvalidDocumentDoesNotSpoilTheNextRead() throws Exception {
        XmlBinding binding = new XmlBinding(JAXB, SCHEMA);
        for (int i = 0; i < 50; i++) {
            pooledError(binding, i % 2 == 0 ? UNKNOWN_ELEMENT : INVALID);
            assertEquals("010180-9026",
                    binding.unmarshal(new ByteArrayInputStream(VALID), BenefitDataResult.class).getPersonId());
        }
    }

    @Test
    void oneBindingReadFromManyThreadsAtOnceAnswersAsFreshUnmarshallersDo() throws Exception {
        XmlBinding binding = new XmlBinding(JAXB, SCHEMA);
        List<byte[]> documents = List.of(VALID, INVALID, UNKNOWN_ELEMENT, INCOMPLETE, NOT_XML);
        List<String> expected = new ArrayList<>();
        for (byte[] document : documents) {
            expected.add(outcome(() -> freshUnmarshal(document, BenefitDataResult.class)));
        }
        List<Future<List<String>>> runs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int offset = t;
            runs.add(THREADS.submit(() -> {
                List<String> seen = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    int k = (i + offset) % documents.size();
                    byte[] document = documents.get(k);
                    String got = outcome(() -> binding.unmarshal(new ByteArrayInputStream(document),
                            BenefitDataResult.class));
                    if (!got.equals(expected.get(k))) {
                        seen.add("document " + k + ": " + got + " instead of " + expected.get(k));
                    }
                }
                return seen;
            }));
        }
        for (Future<List<String>> run : runs) {
            assertEquals(List.of(), run.get());
        }
    }

    @Test
    void writesWhatAFreshMarshallerWrites() throws Exception {
        XmlBinding binding = new XmlBinding(JAXB, SCHEMA);
        BenefitDataResult result = freshUnmarshal(VALID, BenefitDataResult.class);
        StringWriter pooled = new StringWriter();
        binding.marshal(result, pooled);
        assertEquals(marshal(result), pooled.toString());
    }

    // --- helpers

    /** What a read comes to: the bound person, or the first schema error's text, or the kind of failure. */
    private static String outcome(Callable<BenefitDataResult> read) {
        try {
            return "bound " + read.call().getPersonId();
        } catch (Exception e) {
            String cvc = schemaError(e);
            return cvc != null ? cvc : "refused";
        }
    }

    private static String pooledError(XmlBinding binding, byte[] document) {
        Exception e = assertThrows(Exception.class,
                () -> binding.unmarshal(new ByteArrayInputStream(document), BenefitDataResult.class));
        String cvc = schemaError(e);
        assertNotNull(cvc, () -> "no schema error in " + e);
        return cvc;
    }

    private static String freshError(byte[] document) {
        Exception e = assertThrows(Exception.class, () -> freshUnmarshal(document, BenefitDataResult.class));
        assertInstanceOf(JAXBException.class, e);
        String cvc = schemaError(e);
        assertNotNull(cvc, () -> "no schema error in " + e);
        return cvc;
    }

    /** The validator's message somewhere in the chain of causes, from its rule on. */
    private static String schemaError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.contains("cvc-")) {
                return message.substring(message.indexOf("cvc-"));
            }
            if (t instanceof JAXBException jaxb && jaxb.getLinkedException() != null && t.getCause() == null) {
                return schemaError(jaxb.getLinkedException());
            }
        }
        return null;
    }

    /** The way XmlConfigLoader read before: an unmarshaller built for the call, given the schema. */
    private static <T> T freshUnmarshal(byte[] document, Class<T> type) throws Exception {
        Unmarshaller unmarshaller = JAXB.createUnmarshaller();
        unmarshaller.setSchema(SCHEMA);
        XMLInputFactory factory = XMLInputFactory.newInstance();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        XMLStreamReader reader = factory.createXMLStreamReader(new ByteArrayInputStream(document));
        try {
            return unmarshaller.unmarshal(reader, type).getValue();
        } finally {
            reader.close();
        }
    }

    private static String marshal(Object body) throws JAXBException {
        StringWriter out = new StringWriter();
        JAXB.createMarshaller().marshal(body, out);
        return out.toString();
    }

    private static JAXBContext context() {
        try {
            return JAXBContext.newInstance(BenefitDataQuery.class, BenefitDataResult.class, BackendError.class);
        } catch (JAXBException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = XmlBindingTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
