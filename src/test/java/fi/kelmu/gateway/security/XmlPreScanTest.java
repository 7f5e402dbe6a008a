package fi.kelmu.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import java.nio.charset.StandardCharsets;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pre-parse scan: what it refuses, with which fault, and what it lets through. */
class XmlPreScanTest {

    private static final XmlPreScan SCAN = new XmlPreScan(new XmlPreScan.Limits(8, 5, 40, 4, 20, 30));
    private static final String ENV = "<s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'>";

    @Test
    void wellFormedEnvelopeYieldsTheBodyOperation() {
        QName operation = SCAN.scan(bytes(ENV + "<s:Header/><s:Body><b:op xmlns:b='urn:b'/></s:Body></s:Envelope>"),
                "UTF-8");
        assertEquals(new QName("urn:b", "op"), operation);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "doctype            | <!DOCTYPE x><s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body/></s:Envelope> | FORBIDDEN_XML",
        "xinclude           | " + "<s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body><xi:include xmlns:xi='http://www.w3.org/2001/XInclude' href='/etc/passwd'/></s:Body></s:Envelope> | FORBIDDEN_XML",
        "xml base           | <s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body xml:base='http://x/'/></s:Envelope> | FORBIDDEN_XML",
        "too deep           | <s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body><a><a><a><a><a><a><a></a></a></a></a></a></a></a></s:Body></s:Envelope> | XML_LIMIT_EXCEEDED",
        "too many children  | <s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body><a><b/><b/><b/><b/><b/><b/></a></s:Body></s:Envelope> | XML_LIMIT_EXCEEDED",
        "too many attributes| <s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body><a p='1' q='2' r='3' t='4' u='5'/></s:Body></s:Envelope> | XML_LIMIT_EXCEEDED",
        "attribute too long | <s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body><a p='123456789012345678901'/></s:Body></s:Envelope> | XML_LIMIT_EXCEEDED",
        "text too long      | <s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body><a>1234567890123456789012345678901</a></s:Body></s:Envelope> | XML_LIMIT_EXCEEDED",
        "not an envelope    | <a/> | INVALID_REQUEST",
        "no body            | <s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Header/></s:Envelope> | INVALID_REQUEST",
        "two bodies         | <s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body/><s:Body/></s:Envelope> | INVALID_REQUEST",
        "header after body  | <s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body/><s:Header/></s:Envelope> | INVALID_REQUEST",
        "body in a header   | <s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Header><w><s:Body/></w></s:Header><s:Body/></s:Envelope> | INVALID_REQUEST",
        "not well-formed    | <s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body> | INVALID_REQUEST",
    })
    void refusesWithItsFault(String name, String xml, FaultCode expected) {
        GatewayException e = assertThrows(GatewayException.class, () -> SCAN.scan(bytes(xml.strip()), "UTF-8"));
        assertEquals(expected, e.faultCode(), e.getMessage());
    }

    @Test
    void tooManyElementsIsRefused() {
        String many = "<a/>".repeat(5);
        String xml = ENV + "<s:Body>" + ("<g>" + many + "</g>").repeat(7) + "</s:Body></s:Envelope>";
        GatewayException e = assertThrows(GatewayException.class, () -> SCAN.scan(bytes(xml), "UTF-8"));
        assertEquals(FaultCode.XML_LIMIT_EXCEEDED, e.faultCode());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
