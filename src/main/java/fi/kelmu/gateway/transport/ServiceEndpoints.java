package fi.kelmu.gateway.transport;

import fi.kelmu.contract.benefit.service.v1.BenefitInformationPort;
import fi.kelmu.gateway.xml.ReusingSchema;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import javax.xml.validation.Schema;
import org.apache.cxf.Bus;
import org.apache.cxf.service.model.ServiceInfo;
import org.apache.cxf.ws.addressing.EndpointReferenceUtils;
import javax.xml.namespace.QName;
import org.apache.camel.component.cxf.common.DataFormat;
import org.apache.camel.component.cxf.jaxws.CxfConfigurer;
import org.apache.camel.component.cxf.jaxws.CxfEndpoint;
import org.apache.camel.component.cxf.transport.header.CxfHeaderFilterStrategy;
import org.apache.cxf.annotations.SchemaValidation.SchemaValidationType;
import org.apache.cxf.endpoint.Client;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.frontend.AbstractWSDLBasedEndpointFactory;
import org.apache.cxf.message.Message;

/**
 * The CXF endpoints of the gateway's services, each with the same request pipeline: size limit and
 * request hash, XML limits, message security, schema validation, X-Road header validation and echo,
 * response signing, fault translation ({@link InboundChain}).
 */
public final class ServiceEndpoints {

    /** One published contract: its path under the listener, its WSDL, SEI and WSDL names. */
    public record ServiceContract(String path, String wsdl, Class<?> serviceClass, QName service, QName port) {
    }

    private static final String BENEFIT_TNS = "urn:fi:kelmu:wsdl:benefit-information:v1";
    private static final String ACCESS_TNS = "urn:fi:kelmu:wsdl:access:v1";

    public static final ServiceContract BENEFIT_INFORMATION = new ServiceContract("/ws/BenefitInformationService",
            "wsdl/BenefitInformationService.wsdl", BenefitInformationPort.class,
            new QName(BENEFIT_TNS, "BenefitInformationService"), new QName(BENEFIT_TNS, "BenefitInformationPort"));
    /** The access self-check (R-MAND-5). */
    public static final ServiceContract ACCESS = new ServiceContract("/ws/AccessService", "wsdl/AccessService.wsdl",
            fi.kelmu.contract.access.service.v1.AccessPort.class, new QName(ACCESS_TNS, "AccessService"),
            new QName(ACCESS_TNS, "AccessPort"));

    private static final String PAYMENT_DEMAND_TNS = "urn:fi:kelmu:wsdl:payment-demand:v1";
    /** Payment demands (R-PAY-1..8, docs/payment-demands.md). */
    public static final ServiceContract PAYMENT_DEMAND = new ServiceContract("/ws/PaymentDemandService",
            "wsdl/PaymentDemandService.wsdl", fi.kelmu.contract.paymentdemand.service.v1.PaymentDemandPort.class,
            new QName(PAYMENT_DEMAND_TNS, "PaymentDemandService"), new QName(PAYMENT_DEMAND_TNS, "PaymentDemandPort"));

    private ServiceEndpoints() {
    }

    /**
     * @param address          listener base address, e.g. {@code http://0.0.0.0:8080}
     * @param publicUrl        the base URL callers reach the listener at: the served WSDL's soap:address is it and
     *                         the service's path, whatever Host header a request sends
     * @param xmlLimits        CXF StAX reader limits ({@code org.apache.cxf.stax.*}), applied before parsing
     * @param chain            the inbound chain, shared by every endpoint
     * @param responseSigning  signs responses, or null when response signing is off
     */
    public static CxfEndpoint create(ServiceContract contract, String address, String publicUrl, InboundChain chain,
            Map<String, Object> xmlLimits, FaultTranslator translator, ResponseSigning responseSigning) {
        CxfEndpoint endpoint = new CxfEndpoint();
        endpoint.setAddress(address + contract.path());
        // ?wsdl gives the configured address; CXF would otherwise write the request's Host header into it
        endpoint.setPublishedEndpointUrl(publicUrl + contract.path());
        endpoint.setServiceClass(contract.serviceClass());
        // the served WSDL is the committed contract, packaged on the classpath
        endpoint.setWsdlURL("classpath:" + contract.wsdl());
        // and answers ?wsdl with it self-contained: its schemas inlined, resolvable from any host
        endpoint.getFeatures().add(new ServedWsdl(contract.wsdl()));
        endpoint.setServiceNameAsQName(contract.service());
        endpoint.setPortNameAsQName(contract.port());
        endpoint.setDataFormat(DataFormat.POJO);
        endpoint.setSkipFaultLogging(true);
        // headers are echoed by XRoadHeaderEchoInterceptor, exactly; Camel must not relay them too
        CxfHeaderFilterStrategy headers = new CxfHeaderFilterStrategy();
        headers.setRelayHeaders(false);
        // nothing of the Camel message leaks into HTTP response headers (routing headers, request headers)
        headers.setOutFilterPattern(".*");
        // and no HTTP request header becomes a Camel header: only the verified body and the signed headers, through
        // the request context, steer a request (a forged operationName or CamelCxfMessage header is ignored)
        headers.setInFilterPattern(".*");
        endpoint.setHeaderFilterStrategy(headers);
        Map<String, Object> properties = new HashMap<>(xmlLimits);
        // requests only: a response is built by the gateway from checked backend data, and a validation
        // error on it would quote that data back in a fault
        properties.put(Message.SCHEMA_VALIDATION_ENABLED, SchemaValidationType.IN);
        // given to CXF's factory bean, not through CxfEndpoint.setProperties: Camel also binds that map onto its
        // own endpoint options, and its Boolean schemaValidationEnabled cannot take "IN"
        endpoint.setCxfConfigurer(new CxfProperties(properties, endpoint::getBus));

        // order of the request pipeline: capture, parse into one DOM (limits), verify signature, then read headers
        endpoint.getInInterceptors().add(chain.capture());
        endpoint.getInInterceptors().addAll(RequestDocument.interceptors());
        endpoint.getInInterceptors().add(chain.security());
        endpoint.getInInterceptors().add(chain.headers());
        // CXF's validation of the X-Road headers, in one pass instead of one document each
        endpoint.getInInterceptors().addAll(HeaderSetValidation.interceptors());
        XRoadHeaderEchoInterceptor echo = new XRoadHeaderEchoInterceptor();
        endpoint.getOutInterceptors().add(echo);
        endpoint.getOutFaultInterceptors().add(new FaultTranslatorInterceptor(translator));
        endpoint.getOutFaultInterceptors().add(chain.refusals());
        endpoint.getOutFaultInterceptors().add(echo);
        if (responseSigning != null) {
            endpoint.getOutInterceptors().add(responseSigning);
            endpoint.getOutFaultInterceptors().add(responseSigning);
        }
        return endpoint;
    }

    /**
     * Adds properties to the server factory bean, which puts them on the CXF endpoint, where interceptors read
     * them as contextual properties of each message: where CxfEndpoint's properties go, but out of reach of
     * Camel's property binding.
     */
    private static final class CxfProperties implements CxfConfigurer {

        private final Map<String, Object> properties;
        private final Supplier<Bus> bus;

        CxfProperties(Map<String, Object> properties, Supplier<Bus> bus) {
            this.properties = Map.copyOf(properties);
            this.bus = bus;
        }

        @Override
        public void configure(AbstractWSDLBasedEndpointFactory factoryBean) {
            factoryBean.getProperties(true).putAll(properties);
        }

        @Override
        public void configureClient(Client client) {
            // the gateway's endpoints are consumers only
        }

        /**
         * The service's schema, built now rather than on the first request, and given to CXF as a {@link ReusingSchema}:
         * CXF validates each SOAP header with a new validator, and reads the body with a JAXB unmarshaller given the
         * schema, which builds a new validator too, on every request. CXF keeps a service's schema on its service
         * model and takes it from there for both; its validation is otherwise untouched (same errors, same faults).
         */
        @Override
        public void configureServer(Server server) {
            ServiceInfo service = server.getEndpoint().getService().getServiceInfos().get(0);
            Schema schema = EndpointReferenceUtils.getSchema(service, bus.get());
            if (schema != null) {
                service.setProperty(Schema.class.getName(), ReusingSchema.of(schema));
            }
        }
    }
}
