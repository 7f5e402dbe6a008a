package fi.kelmu.gateway.support;

import fi.kelmu.gateway.xml.Dom;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** Raw SOAP over HTTP for contract tests: request fixtures are files, responses are parsed to DOM. */
public final class SoapHttp {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SoapHttp() {
    }

    /** A request fixture from {@code src/test/resources/requests/}. */
    public static byte[] fixture(String name) {
        try (InputStream in = SoapHttp.class.getResourceAsStream("/requests/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Response post(String url, byte[] body, String soapAction) {
        return post(CLIENT, url, body, soapAction);
    }

    /** As {@link #post(String, byte[], String)}, with {@code client} (e.g. one with a TLS client certificate). */
    public static Response post(HttpClient client, String url, byte[] body, String soapAction) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "text/xml; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (soapAction != null) {
            request.header("SOAPAction", "\"" + soapAction + "\"");
        }
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response.body(),
                    response.headers().firstValue("X-Correlation-Id").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Document parse(byte[] xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            throw new IllegalStateException("not XML: " + new String(xml, StandardCharsets.UTF_8), e);
        }
    }

    /** The element children of the SOAP Header, in document order. */
    public static List<Element> headerElements(Document envelope) {
        List<Element> result = new ArrayList<>();
        var headers = envelope.getElementsByTagNameNS(Dom.SOAP_NS, "Header");
        if (headers.getLength() == 0) {
            return result;
        }
        for (Node n = headers.item(0).getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                result.add(e);
            }
        }
        return result;
    }

    public static String text(Document doc, String namespace, String localName) {
        var nodes = doc.getElementsByTagNameNS(namespace, localName);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }

    public static int count(Document doc, String namespace, String localName) {
        return doc.getElementsByTagNameNS(namespace, localName).getLength();
    }

    /** Status, body and correlation-id header of one HTTP answer. */
    public record Response(int status, byte[] body, String correlationId) {

        public Document document() {
            return parse(body);
        }

        public String faultCode() {
            return text(document(), null, "faultcode");
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }
}
