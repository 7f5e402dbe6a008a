package fi.kelmu.gateway.contract;

import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.VALID_REQUEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.support.TestGateway;
import fi.kelmu.gateway.transport.AccessReceiptHeader;
import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.xml.Dom;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import javax.wsdl.Binding;
import javax.wsdl.BindingOperation;
import javax.wsdl.Definition;
import javax.wsdl.Message;
import javax.wsdl.Operation;
import javax.wsdl.Part;
import javax.wsdl.PortType;
import javax.wsdl.extensions.UnknownExtensibilityElement;
import javax.wsdl.extensions.schema.Schema;
import javax.wsdl.extensions.soap.SOAPHeader;
import javax.wsdl.extensions.soap.SOAPOperation;
import javax.wsdl.factory.WSDLFactory;
import javax.wsdl.xml.WSDLReader;
import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import javax.xml.transform.Source;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.ls.LSInput;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The WSDL the gateway serves is the committed contract in wsdl/, with the schemas of xsd/ it imports inlined
 * (docs/contract.md, "Files"), so that a copy saved or fetched through X-Road's getWsdl resolves on its own; and it
 * describes each service to X-Road by code and version ({@code xrd:version}) and title ({@code xrd:title}).
 */
class ServedWsdlTest {

    private static final String XS_NS = XMLConstants.W3C_XML_SCHEMA_NS_URI;
    private static final String WSDL_NS = "http://schemas.xmlsoap.org/wsdl/";
    private static final QName XRD_VERSION = new QName(XRoadHeaders.NS, "version");

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox().build();

    @TempDir
    Path folder;

    // --- served = committed

    @Test
    void servedWsdlDescribesExactlyTheCommittedContract() throws Exception {
        assertServedAsCommitted("wsdl/BenefitInformationService.wsdl", GATEWAY.serviceUrl());
    }

    @Test
    void servedAccessServiceWsdlDescribesExactlyTheCommittedContract() throws Exception {
        assertServedAsCommitted("wsdl/AccessService.wsdl", GATEWAY.accessServiceUrl());
    }

    private static void assertServedAsCommitted(String wsdl, String serviceUrl) throws Exception {
        Definition committed = reader().readWSDL(projectFile(wsdl).toURI().toString());
        Definition served = reader().readWSDL(serviceUrl + "?wsdl");

        assertEquals(committed.getTargetNamespace(), served.getTargetNamespace());
        assertEquals(describe(committed), describe(served));
    }

    @Test
    void servedWsdlCarriesEveryCommittedSchemaItImportsInlineUnchanged() throws Exception {
        assertSchemasInlinedUnchanged("wsdl/BenefitInformationService.wsdl", GATEWAY.serviceUrl(),
                List.of("xml.xsd", "identifiers.xsd", "xroad.xsd", "common.xsd", "benefit-information.xsd",
                        "access-receipt.xsd"));
        assertSchemasInlinedUnchanged("wsdl/AccessService.wsdl", GATEWAY.accessServiceUrl(),
                List.of("xml.xsd", "identifiers.xsd", "xroad.xsd", "common.xsd", "access-check.xsd"));
    }

    /**
     * The served types: the committed WSDL's own schema and each committed schema it imports, directly or not, once,
     * equal to the committed file but for the {@code schemaLocation} of its imports, which are gone.
     */
    private static void assertSchemasInlinedUnchanged(String wsdl, String serviceUrl, List<String> imported)
            throws Exception {
        Document served = SoapHttp.parse(get(serviceUrl + "?wsdl"));
        List<Element> servedSchemas = Dom.children(types(served));

        Map<String, String> expected = new LinkedHashMap<>();
        for (String xsd : imported) {
            Element schema = withoutSchemaLocations(SoapHttp.parse(Files.readAllBytes(projectFile("xsd/" + xsd).toPath()))
                    .getDocumentElement());
            expected.put(schema.getAttribute("targetNamespace"), canonical(schema));
        }
        for (Element own : Dom.children(types(SoapHttp.parse(Files.readAllBytes(projectFile(wsdl).toPath()))))) {
            expected.put(own.getAttribute("targetNamespace"), canonical(withoutSchemaLocations(own)));
        }
        Map<String, String> actual = new LinkedHashMap<>();
        for (Element schema : servedSchemas) {
            assertTrue(Dom.is(schema, XS_NS, "schema"), "only schemas in wsdl:types");
            assertNull(actual.put(schema.getAttribute("targetNamespace"), canonical(schema)),
                    "one schema per namespace: " + schema.getAttribute("targetNamespace"));
        }
        assertEquals(expected.keySet(), actual.keySet(), wsdl + ": the schemas inlined");
        expected.forEach((namespace, schema) -> assertEquals(schema, actual.get(namespace), namespace));
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()),
                "each schema after the ones it imports, the WSDL's own last");
    }

    // --- X-Road's service description elements

    @Test
    void everyOperationIsDescribedToXRoadByVersionAndTitle() throws Exception {
        String version = applicationProperties().getProperty("kelmu.xroad.service-version");
        for (String url : List.of(GATEWAY.serviceUrl(), GATEWAY.accessServiceUrl())) {
            Definition served = reader().readWSDL(url + "?wsdl");
            for (Object b : served.getBindings().values()) {
                for (Object o : ((Binding) b).getBindingOperations()) {
                    BindingOperation operation = (BindingOperation) o;
                    assertEquals(List.of(version), xrdVersions(operation),
                            url + " " + operation.getName() + ": the xrd:version the gateway serves");
                }
            }
            for (Object pt : served.getPortTypes().values()) {
                for (Object o : ((PortType) pt).getOperations()) {
                    Operation operation = (Operation) o;
                    Element documentation = operation.getDocumentationElement();
                    assertNotNull(documentation, operation.getName());
                    Map<String, String> titles = new TreeMap<>();
                    for (Element child : Dom.children(documentation)) {
                        if (Dom.is(child, XRoadHeaders.NS, "title")) {
                            titles.put(child.getAttributeNS(XMLConstants.XML_NS_URI, "lang"), child.getTextContent());
                        }
                    }
                    assertEquals(Set.of("en", "fi"), titles.keySet(), operation.getName() + ": xrd:title in en and fi");
                    titles.values().forEach(title -> assertFalse(title.isBlank(), operation.getName()));
                    assertNotNull(Dom.firstChild(documentation, XRoadHeaders.NS, "notes"), operation.getName());
                }
            }
        }
    }

    @Test
    void aGatewayConfiguredForAnotherServiceVersionThanItsWsdlsRefusesToStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TestGateway.startSandbox(Map.of("kelmu.xroad.service-version", "v2")).close());
        assertTrue(e.getMessage().contains("declares xrd:version v1 but kelmu.xroad.service-version is v2"),
                e.getMessage());
    }

    @Test
    void everyRequestHeaderIsBoundOnEveryOperationInAndOut() throws Exception {
        for (String url : List.of(GATEWAY.serviceUrl(), GATEWAY.accessServiceUrl())) {
            Definition served = reader().readWSDL(url + "?wsdl");
            for (Object b : served.getBindings().values()) {
                for (Object o : ((Binding) b).getBindingOperations()) {
                    BindingOperation operation = (BindingOperation) o;
                    List<QName> in = headers(served, operation.getBindingInput().getExtensibilityElements());
                    List<QName> out = headers(served, operation.getBindingOutput().getExtensibilityElements());
                    assertEquals(XRoadHeaders.REQUEST_HEADERS, in, operation.getName() + " input");
                    List<QName> echoed = new ArrayList<>(XRoadHeaders.REQUEST_HEADERS);
                    echoed.add(XRoadHeaders.REQUEST_HASH);
                    if (url.equals(GATEWAY.serviceUrl())) {
                        // answers with client data: the receipt of their access record (docs/contract.md)
                        echoed.add(AccessReceiptHeader.QNAME);
                    }
                    assertEquals(echoed, out, operation.getName() + " output");
                }
            }
        }
    }

    // --- self-contained: a saved copy resolves without the gateway

    @Test
    void aSavedCopyOfTheServedWsdlResolvesEverySchemaWithoutTheGateway() throws Exception {
        Path benefit = folder.resolve("BenefitInformationService.wsdl");
        Path access = folder.resolve("AccessService.wsdl");
        String stoppedUrl;
        // a gateway of its own, stopped before the copies are read: nothing can be fetched from it any more
        try (Gateway gateway = GATEWAY.startAnother(Map.of())) {
            Files.write(benefit, get(gateway.serviceUrl() + "?wsdl"));
            Files.write(access, get(gateway.accessServiceUrl() + "?wsdl"));
            stoppedUrl = gateway.serviceUrl();
        }
        assertThrows(ConnectException.class, () -> get(stoppedUrl + "?wsdl"), "the gateway is gone");

        for (Path copy : List.of(benefit, access)) {
            String text = Files.readString(copy);
            assertFalse(text.contains("schemaLocation"), copy + " points at no schema file");
            assertFalse(text.contains("?xsd="), copy + " points at no ?xsd= of the gateway");
            assertResolvesOnItsOwn(copy);
        }
        // and the schemas validate the X-Road headers and the body of a real request, offline
        assertValidates(benefit, Signing.signedDocument(VALID_REQUEST, Signing.signerOf(HVA)));
    }

    /**
     * javax.wsdl (WSDL4J, as an X-Road security server reads a WSDL) reads the copy, every schema of its types imports
     * by namespace only, and every message part's element is declared by the schema of its namespace in the copy.
     */
    private static void assertResolvesOnItsOwn(Path copy) throws Exception {
        Definition definition = reader().readWSDL(copy.toUri().toString());
        Map<String, Set<String>> declared = new LinkedHashMap<>();
        for (Object e : definition.getTypes().getExtensibilityElements()) {
            Schema schema = (Schema) e;
            assertTrue(schema.getIncludes().isEmpty() && schema.getRedefines().isEmpty(), copy.toString());
            for (Object list : schema.getImports().values()) {
                for (Object i : (List<?>) list) {
                    javax.wsdl.extensions.schema.SchemaImport anImport = (javax.wsdl.extensions.schema.SchemaImport) i;
                    assertNull(anImport.getSchemaLocationURI(), copy + " imports " + anImport.getNamespaceURI()
                            + " by namespace only");
                }
            }
            Set<String> elements = declared.computeIfAbsent(schema.getElement().getAttribute("targetNamespace"),
                    namespace -> new HashSet<>());
            for (Element child : Dom.children(schema.getElement())) {
                if (Dom.is(child, XS_NS, "element")) {
                    elements.add(child.getAttribute("name"));
                }
            }
        }
        for (Object m : definition.getMessages().values()) {
            for (Object p : ((Message) m).getParts().values()) {
                QName element = ((Part) p).getElementName();
                assertTrue(declared.getOrDefault(element.getNamespaceURI(), Set.of()).contains(element.getLocalPart()),
                        copy + ": " + element + " is declared in the copy");
            }
        }
    }

    /**
     * The inline schemas of {@code copy}, compiled in their order by the JDK's validator with every external
     * resource refused, validate each X-Road header and the body of {@code request}.
     */
    private static void assertValidates(Path copy, Document request) throws Exception {
        List<Source> sources = new ArrayList<>();
        for (Element schema : Dom.children(types(SoapHttp.parse(Files.readAllBytes(copy))))) {
            sources.add(new DOMSource(schema, copy.toUri().toString()));
        }
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        factory.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
                // a warning is no unresolved reference
            }

            @Override
            public void error(SAXParseException e) throws SAXException {
                throw e;
            }

            @Override
            public void fatalError(SAXParseException e) throws SAXException {
                throw e;
            }
        });
        factory.setResourceResolver((type, namespace, publicId, systemId, baseUri) -> {
            if (systemId != null) {
                fail("the copy needed " + systemId + " for namespace " + namespace);
            }
            return (LSInput) null;
        });
        Validator validator = factory.newSchema(sources.toArray(Source[]::new)).newValidator();
        Set<String> validated = new HashSet<>();
        for (Element header : Dom.children(Dom.soapHeader(request.getDocumentElement()))) {
            if (XRoadHeaders.NS.equals(header.getNamespaceURI())) {
                validator.validate(new DOMSource(header));
                validated.add(header.getLocalName());
            }
        }
        assertEquals(Set.of("client", "service", "id", "userId", "issue", "protocolVersion"), validated);
        validator.validate(new DOMSource(Dom.children(Dom.firstChild(request.getDocumentElement(), Dom.SOAP_NS, "Body"))
                .get(0)));
    }

    // --- helpers

    private static WSDLReader reader() throws Exception {
        WSDLReader reader = WSDLFactory.newInstance().newWSDLReader();
        reader.setFeature("javax.wsdl.verbose", false);
        return reader;
    }

    private static File projectFile(String path) {
        return new File(System.getProperty("kelmu.project.dir", "."), path);
    }

    private static byte[] get(String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), url);
        return response.body();
    }

    private static Properties applicationProperties() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = ServedWsdlTest.class.getClassLoader().getResourceAsStream("application.properties")) {
            properties.load(in);
        }
        return properties;
    }

    private static Element types(Document wsdl) {
        Element types = Dom.firstChild(wsdl.getDocumentElement(), WSDL_NS, "types");
        assertNotNull(types, "wsdl:types");
        return types;
    }

    private static Element withoutSchemaLocations(Element schema) {
        for (Element child : Dom.children(schema)) {
            if (Dom.is(child, XS_NS, "import")) {
                child.removeAttribute("schemaLocation");
            }
        }
        return schema;
    }

    /**
     * An element as text: its name, its attributes but namespace declarations (which a serialiser may move), and
     * its element and non-blank text children, recursively; comments are left out.
     */
    private static String canonical(Element element) {
        StringBuilder out = new StringBuilder();
        canonical(element, out);
        return out.toString();
    }

    private static void canonical(Element element, StringBuilder out) {
        out.append('<').append('{').append(element.getNamespaceURI()).append('}').append(element.getLocalName());
        NamedNodeMap attributes = element.getAttributes();
        Map<String, String> sorted = new TreeMap<>();
        for (int i = 0; i < attributes.getLength(); i++) {
            Attr attribute = (Attr) attributes.item(i);
            if (!XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(attribute.getNamespaceURI())) {
                sorted.put("{" + attribute.getNamespaceURI() + "}" + attribute.getLocalName(), attribute.getValue());
            }
        }
        sorted.forEach((name, value) -> out.append(' ').append(name).append("=\"").append(value).append('"'));
        out.append('>');
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element child) {
                canonical(child, out);
            } else if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) {
                if (!n.getNodeValue().isBlank()) {
                    out.append(n.getNodeValue().strip());
                }
            }
        }
        out.append("</>");
    }

    private static List<String> xrdVersions(BindingOperation operation) {
        List<String> versions = new ArrayList<>();
        for (Object e : operation.getExtensibilityElements()) {
            if (e instanceof UnknownExtensibilityElement unknown && XRD_VERSION.equals(unknown.getElementType())) {
                versions.add(unknown.getElement().getTextContent().strip());
            }
        }
        return versions;
    }

    /** The elements of the soap:header bindings among {@code extensibilityElements}, in order. */
    private static List<QName> headers(Definition d, List<?> extensibilityElements) {
        List<QName> result = new ArrayList<>();
        for (Object e : extensibilityElements) {
            if (e instanceof SOAPHeader header) {
                result.add(d.getMessage(header.getMessage()).getPart(header.getPart()).getElementName());
            }
        }
        return result;
    }

    /**
     * Messages with their parts, port type operations with their titles, binding operations with their SOAP
     * actions, X-Road versions and bound headers.
     */
    private static Map<String, String> describe(Definition d) {
        Map<String, String> out = new TreeMap<>();
        for (Object m : d.getMessages().values()) {
            Message message = (Message) m;
            StringBuilder parts = new StringBuilder();
            for (Object p : message.getOrderedParts(null)) {
                Part part = (Part) p;
                parts.append(part.getName()).append('=').append(part.getElementName()).append(';');
            }
            out.put("message " + message.getQName().getLocalPart(), parts.toString());
        }
        for (Object pt : d.getPortTypes().values()) {
            for (Object o : ((PortType) pt).getOperations()) {
                Operation op = (Operation) o;
                out.put("operation " + op.getName(), op.getInput().getMessage().getQName().getLocalPart() + "->"
                        + op.getOutput().getMessage().getQName().getLocalPart() + " "
                        + (op.getDocumentationElement() == null ? "" : canonical(op.getDocumentationElement())));
            }
        }
        for (Object b : d.getBindings().values()) {
            for (Object o : ((Binding) b).getBindingOperations()) {
                BindingOperation op = (BindingOperation) o;
                String action = "";
                for (Object e : op.getExtensibilityElements()) {
                    if (e instanceof SOAPOperation soap) {
                        action = soap.getSoapActionURI();
                    }
                }
                out.put("binding " + op.getName(), action + " " + xrdVersions(op)
                        + " in:" + headers(d, op.getBindingInput().getExtensibilityElements())
                        + " out:" + headers(d, op.getBindingOutput().getExtensibilityElements()));
            }
        }
        return out;
    }
}
