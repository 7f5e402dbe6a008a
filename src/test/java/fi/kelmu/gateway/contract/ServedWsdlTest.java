package fi.kelmu.gateway.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fi.kelmu.gateway.support.GatewayExtension;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import javax.wsdl.Binding;
import javax.wsdl.BindingOperation;
import javax.wsdl.Definition;
import javax.wsdl.Message;
import javax.wsdl.Operation;
import javax.wsdl.Part;
import javax.wsdl.PortType;
import javax.wsdl.extensions.soap.SOAPOperation;
import javax.wsdl.factory.WSDLFactory;
import javax.wsdl.xml.WSDLReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The WSDL the gateway serves is the committed contract in wsdl/, and its schemas are the ones in xsd/. */
class ServedWsdlTest {

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox().build();

    @Test
    void servedWsdlDescribesExactlyTheCommittedContract() throws Exception {
        assertServedAsCommitted("wsdl/BenefitInformationService.wsdl", GATEWAY.serviceUrl());
    }

    @Test
    void servedAccessServiceWsdlDescribesExactlyTheCommittedContract() throws Exception {
        assertServedAsCommitted("wsdl/AccessService.wsdl", GATEWAY.accessServiceUrl());
    }

    private static void assertServedAsCommitted(String wsdl, String serviceUrl) throws Exception {
        WSDLReader reader = WSDLFactory.newInstance().newWSDLReader();
        reader.setFeature("javax.wsdl.verbose", false);
        Definition committed = reader.readWSDL(new File(System.getProperty("kelmu.project.dir", "."), wsdl)
                .toURI().toString());
        Definition served = reader.readWSDL(serviceUrl + "?wsdl");

        assertEquals(committed.getTargetNamespace(), served.getTargetNamespace());
        assertEquals(describe(committed), describe(served));
    }

    @Test
    void importedSchemasAreServedUnchanged() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (String xsd : new String[] {"benefit-information.xsd", "common.xsd", "xroad.xsd", "identifiers.xsd"}) {
            String url = GATEWAY.serviceUrl() + "?xsd=../xsd/" + xsd;
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), url);
            String committed = java.nio.file.Files.readString(new File(System.getProperty("kelmu.project.dir", "."),
                    "xsd/" + xsd).toPath());
            assertEquals(elementNames(committed), elementNames(response.body()), xsd);
        }
    }

    /** Messages with their parts, port type operations, binding operations with their SOAP actions. */
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
                        + op.getOutput().getMessage().getQName().getLocalPart());
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
                out.put("binding " + op.getName(), action + " in:" + op.getBindingInput().getExtensibilityElements().size()
                        + " out:" + op.getBindingOutput().getExtensibilityElements().size());
            }
        }
        return out;
    }

    private static java.util.List<String> elementNames(String xsd) {
        java.util.List<String> names = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<xs:(element|simpleType|complexType|enumeration|pattern)[^>]*?(name|value)=\"([^\"]*)\"").matcher(xsd);
        while (m.find()) {
            names.add(m.group(1) + ":" + m.group(3));
        }
        return names;
    }
}
