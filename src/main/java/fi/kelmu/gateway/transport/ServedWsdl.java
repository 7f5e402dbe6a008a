package fi.kelmu.gateway.transport;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.xroad.XRoadHeaders;

import fi.kelmu.gateway.xml.Dom;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.cxf.Bus;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.feature.AbstractPortableFeature;
import org.apache.cxf.frontend.WSDLGetUtils;
import org.apache.cxf.message.Message;
import org.apache.cxf.service.model.EndpointInfo;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * What an endpoint answers at {@code ?wsdl}: the committed WSDL (wsdl/) as CXF serves it, but self-contained. Its
 * {@code wsdl:types} holds the WSDL's own schema and every schema that schema imports, directly or not, read from
 * the committed files (xsd/) on the classpath, each once, and every {@code xs:import} names only its namespace, no
 * {@code schemaLocation}. A copy fetched through X-Road ({@code getWsdl}) or saved to a file therefore resolves
 * without the gateway: nothing points back at {@code ?xsd=} on the gateway's host (docs/contract.md, "Files").
 *
 * <p>The endpoint itself is still built from the committed files, so the schemas it validates requests against are
 * the ones it serves. Installed as a feature: CXF's WSDL query handler takes its {@link WSDLGetUtils} from the
 * endpoint's properties.
 */
public final class ServedWsdl implements AbstractPortableFeature {

    static final String XS_NS = XMLConstants.W3C_XML_SCHEMA_NS_URI;
    static final String WSDL_NS = "http://schemas.xmlsoap.org/wsdl/";

    private final Document schemas;

    /** @param wsdlResource the committed WSDL on the classpath, e.g. {@code wsdl/BenefitInformationService.wsdl} */
    public ServedWsdl(String wsdlResource) {
        this.schemas = inlinedSchemas(wsdlResource);
    }

    @Override
    public void initialize(Server server, Bus bus) {
        server.getEndpoint().put(WSDLGetUtils.class.getName(), new SelfContained());
    }

    /** The WSDL query handler of the endpoint: CXF's, with the types of the main document replaced. */
    private final class SelfContained extends WSDLGetUtils {

        /**
         * The WSDL, self-contained. Nothing it holds points at another document, so a query for one ({@code ?xsd=},
         * {@code ?wsdl=}) is the caller's mistake: a client fault, not CXF's "could not find" server error.
         */
        @Override
        public Document getDocument(Message message, String base, Map<String, String> params, String ctxUri,
                EndpointInfo endpointInfo) {
            String wsdl = params.get("wsdl");
            if (params.containsKey("xsd") || (wsdl != null && !wsdl.isEmpty())) {
                throw new GatewayException(FaultCode.INVALID_REQUEST,
                        "Only ?wsdl is served: its schemas are inlined, it imports no other document.",
                        "query for another document than the WSDL (?xsd= or ?wsdl=)");
            }
            Document doc = super.getDocument(message, base, params, ctxUri, endpointInfo);
            inlineInto(doc);
            return doc;
        }
    }

    /** Replaces the schemas of {@code wsdl}'s types with the self-contained ones. */
    void inlineInto(Document wsdl) {
        Element types = Dom.firstChild(wsdl.getDocumentElement(), WSDL_NS, "types");
        if (types == null) {
            throw new IllegalStateException("the served WSDL has no wsdl:types");
        }
        for (Element schema : Dom.children(types)) {
            if (Dom.is(schema, XS_NS, "schema")) {
                types.removeChild(schema);
            }
        }
        // a DOM is not safe for concurrent reads; ?wsdl is rare
        synchronized (schemas) {
            for (Element schema : Dom.children(schemas.getDocumentElement())) {
                types.appendChild(wsdl.importNode(schema, true));
            }
        }
    }

    /**
     * The schemas of the WSDL's types with their imports inlined, as children of one element: each imported
     * schema before the schema that imports it (the order a one-pass reader needs), the WSDL's own last.
     */
    static Document inlinedSchemas(String wsdlResource) {
        Document wsdl = parse(wsdlResource);
        Element types = Dom.firstChild(wsdl.getDocumentElement(), WSDL_NS, "types");
        if (types == null) {
            throw new IllegalStateException(wsdlResource + " has no wsdl:types");
        }
        Document result = newDocument();
        Element holder = result.createElementNS(WSDL_NS, "wsdl:types");
        result.appendChild(holder);
        Set<String> inlined = new HashSet<>();
        for (Element schema : Dom.children(types)) {
            if (Dom.is(schema, XS_NS, "schema")) {
                inline((Element) result.importNode(schema, true), wsdlResource, holder, inlined);
            }
        }
        return result;
    }

    /** Appends the schemas {@code schema} imports (once each), then {@code schema}, its imports by namespace only. */
    private static void inline(Element schema, String location, Element holder, Set<String> inlined) {
        List<Element> imports = new ArrayList<>();
        for (Element child : Dom.children(schema)) {
            if (Dom.is(child, XS_NS, "include") || Dom.is(child, XS_NS, "redefine")) {
                throw new IllegalStateException(location + ": xs:" + child.getLocalName()
                        + " cannot be inlined into a WSDL; use xs:import");
            }
            if (Dom.is(child, XS_NS, "import") && !child.getAttribute("schemaLocation").isEmpty()) {
                imports.add(child);
            }
        }
        for (Element anImport : imports) {
            String target = resolve(location, anImport.getAttribute("schemaLocation"));
            anImport.removeAttribute("schemaLocation");
            if (inlined.add(target)) {
                Element imported = (Element) holder.getOwnerDocument().importNode(parse(target).getDocumentElement(), true);
                if (!imported.getAttribute("targetNamespace").equals(anImport.getAttribute("namespace"))) {
                    throw new IllegalStateException(location + " imports " + target + " as namespace "
                            + anImport.getAttribute("namespace") + ", but its targetNamespace is "
                            + imported.getAttribute("targetNamespace"));
                }
                inline(imported, target, holder, inlined);
            }
        }
        holder.appendChild(schema);
    }

    /** A classpath resource name relative to another, e.g. wsdl/A.wsdl + ../xsd/b.xsd = xsd/b.xsd. */
    static String resolve(String from, String relative) {
        URI resolved = URI.create("resource:/" + from).resolve(relative);
        if (!"resource".equals(resolved.getScheme()) || resolved.getPath().startsWith("/..")) {
            throw new IllegalStateException(from + " imports " + relative + ", which is not a packaged contract file");
        }
        return resolved.getPath().substring(1);
    }

    /**
     * Refuses to serve a contract whose binding operations declare another {@code xrd:version} than the one the
     * gateway is configured to serve: an X-Road security server registers the service by code and the WSDL's
     * version, and requests carrying the configured one would then be refused.
     */
    public static void requireVersion(String wsdlResource, String configuredVersion) {
        if (configuredVersion == null) {
            return;
        }
        NodeList versions = parse(wsdlResource).getElementsByTagNameNS(XRoadHeaders.NS, "version");
        for (int i = 0; i < versions.getLength(); i++) {
            String declared = versions.item(i).getTextContent().strip();
            if (!declared.equals(configuredVersion)) {
                throw new IllegalStateException(wsdlResource + " declares xrd:version " + declared
                        + " but kelmu.xroad.service-version is " + configuredVersion);
            }
        }
    }

    private static Document parse(String resource) {
        ClassLoader loader = ServedWsdl.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("contract file " + resource + " is not on the classpath");
            }
            return factory().newDocumentBuilder().parse(in, resource);
        } catch (IOException | SAXException | ParserConfigurationException e) {
            throw new IllegalStateException("contract file " + resource + " is unreadable: " + e.getMessage(), e);
        }
    }

    private static Document newDocument() {
        try {
            return factory().newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DocumentBuilderFactory factory() throws ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature("http://apache.org/xml/features/dom/defer-node-expansion", false);
        factory.setExpandEntityReferences(false);
        return factory;
    }
}
