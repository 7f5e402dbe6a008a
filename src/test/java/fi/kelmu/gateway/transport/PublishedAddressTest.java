package fi.kelmu.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.support.SoapHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;

/**
 * The address ?wsdl gives a service comes from configuration ({@code kelmu.http.public-url}), never from the request's
 * Host header (issue 10 item 11): a caller that sends {@code Host: evil.example} must not get a WSDL that sends its
 * readers there.
 */
class PublishedAddressTest {

    private static final String WSDL_SOAP_NS = "http://schemas.xmlsoap.org/wsdl/soap/";

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox()
            .property("kelmu.http.public-url", "https://kelmu.example.fi:8443/gateway/").build();

    @ParameterizedTest(name = "Host: {0}")
    @ValueSource(strings = {"evil.example", "evil.example:80", "localhost"})
    void theConfiguredPublicUrlWhateverTheHostHeader(String host) throws IOException {
        for (String path : new String[] {"/ws/BenefitInformationService", "/ws/AccessService"}) {
            assertEquals("https://kelmu.example.fi:8443/gateway" + path, soapAddress(GATEWAY.gateway(), path, host));
        }
    }

    @Test
    void withoutAPublicUrlTheListenersOwnAddressNotTheHostHeader() throws Exception {
        try (Gateway other = GATEWAY.startAnother(Map.of("kelmu.http.public-url", ""))) {
            int port = URI.create(other.serviceUrl()).getPort();
            String address = soapAddress(other, "/ws/BenefitInformationService", "evil.example");
            assertEquals("http://127.0.0.1:" + port + "/ws/BenefitInformationService", address);
        }
    }

    @Test
    void aPublicUrlThatIsNoHttpUrlStopsTheStart() {
        for (String invalid : new String[] {"kelmu.example.fi", "ftp://kelmu.example.fi", "https://kelmu.example.fi/?a=b"}) {
            Exception e = assertThrows(Exception.class, () -> GATEWAY.startAnother(Map.of("kelmu.http.public-url",
                    invalid)).close());
            assertTrue(e.getMessage().contains("kelmu.http.public-url"), e.getMessage());
        }
    }

    /** The soap:address of the WSDL a GET ?wsdl with {@code host} as its Host header is answered with. */
    private static String soapAddress(Gateway gateway, String path, String host) throws IOException {
        URI service = URI.create(gateway.serviceUrl());
        try (Socket socket = new Socket(service.getHost(), service.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            // HTTP/1.0: the answer is not chunked and ends with the connection
            out.write(("GET " + path + "?wsdl HTTP/1.0\r\nHost: " + host + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] response = readAll(socket.getInputStream());
            String text = new String(response, StandardCharsets.UTF_8);
            assertTrue(text.startsWith("HTTP/1.") && text.contains(" 200 "), text.lines().findFirst().orElse(""));
            assertFalse(text.contains("evil.example"), "the WSDL names the Host header's host");
            int body = text.indexOf("\r\n\r\n") + 4;
            Document doc = SoapHttp.parse(text.substring(body).getBytes(StandardCharsets.UTF_8));
            var addresses = doc.getElementsByTagNameNS(WSDL_SOAP_NS, "address");
            assertEquals(1, addresses.getLength());
            return ((org.w3c.dom.Element) addresses.item(0)).getAttribute("location");
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
