package fi.kelmu.gateway.transport;

import fi.kelmu.contract.benefit.service.v1.BenefitInformationPort;
import fi.kelmu.gateway.fault.FaultTranslator;
import fi.kelmu.gateway.fault.FaultTranslatorInterceptor;
import fi.kelmu.gateway.xroad.RequestCaptureInterceptor;
import fi.kelmu.gateway.xroad.ServiceIdentity;
import fi.kelmu.gateway.xroad.XRoadHeaderEchoInterceptor;
import fi.kelmu.gateway.xroad.XRoadHeaderInterceptor;
import java.util.HashMap;
import java.util.Map;
import javax.xml.namespace.QName;
import javax.xml.validation.Schema;
import org.apache.camel.component.cxf.common.DataFormat;
import org.apache.camel.component.cxf.jaxws.CxfEndpoint;
import org.apache.camel.component.cxf.transport.header.CxfHeaderFilterStrategy;

/**
 * The CXF endpoint of BenefitInformationService with the gateway's request pipeline: size limit and
 * request hash, schema validation, X-Road header validation and echo, fault translation.
 */
public final class BenefitServiceEndpoint {

    public static final String PATH = "/ws/BenefitInformationService";
    public static final String WSDL = "wsdl/BenefitInformationService.wsdl";
    private static final String TNS = "urn:fi:kelmu:wsdl:benefit-information:v1";

    private BenefitServiceEndpoint() {
    }

    public static CxfEndpoint create(String host, int port, long maxRequestBytes, Schema xroadSchema,
            ServiceIdentity identity, FaultTranslator translator) {
        CxfEndpoint endpoint = new CxfEndpoint();
        endpoint.setAddress("http://" + host + ":" + port + PATH);
        endpoint.setServiceClass(BenefitInformationPort.class);
        // the served WSDL is the committed contract, packaged on the classpath
        endpoint.setWsdlURL("classpath:" + WSDL);
        endpoint.setServiceNameAsQName(new QName(TNS, "BenefitInformationService"));
        endpoint.setPortNameAsQName(new QName(TNS, "BenefitInformationPort"));
        endpoint.setDataFormat(DataFormat.POJO);
        endpoint.setSkipFaultLogging(true);
        // headers are echoed by XRoadHeaderEchoInterceptor, exactly; Camel must not relay them too
        CxfHeaderFilterStrategy headers = new CxfHeaderFilterStrategy();
        headers.setRelayHeaders(false);
        // nothing of the Camel message leaks into HTTP response headers (routing headers, request headers)
        headers.setOutFilterPattern(".*");
        endpoint.setHeaderFilterStrategy(headers);
        endpoint.setProperties(new HashMap<>(Map.of("schema-validation-enabled", "true")));

        endpoint.getInInterceptors().add(new RequestCaptureInterceptor(maxRequestBytes));
        endpoint.getInInterceptors().add(new XRoadHeaderInterceptor(xroadSchema, identity));
        XRoadHeaderEchoInterceptor echo = new XRoadHeaderEchoInterceptor();
        endpoint.getOutInterceptors().add(echo);
        endpoint.getOutFaultInterceptors().add(new FaultTranslatorInterceptor(translator));
        endpoint.getOutFaultInterceptors().add(echo);
        return endpoint;
    }
}
