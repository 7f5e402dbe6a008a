package fi.kelmu.gateway.payment;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.xml.namespace.QName;

/**
 * The operations of PaymentDemandService (wsdl/PaymentDemandService.wsdl, R-PAY-4) and what each returns, for the
 * policy (one purpose, MAKSUVAATIMUKSET, served by all four) and the access log.
 */
public final class PaymentDemandOperations {

    public static final String LIST = "listPaymentDemands";
    public static final String SUBMIT = "submitPaymentDemand";
    public static final String MODIFY = "modifyPaymentDemand";
    public static final String INVALIDATE = "invalidatePaymentDemand";

    /** The purpose every operation serves (policy/kelmu-policy.xml). */
    public static final String PURPOSE = "MAKSUVAATIMUKSET";
    /** The one view: the client's payment demands. */
    public static final String VIEW = "PAYMENT_DEMANDS";

    /** The namespace of the operations' body elements (xsd/payment-demand.xsd). */
    public static final String NAMESPACE = "urn:fi:kelmu:payment-demand:v1";

    /** The operations that change a demand: exactly once by idempotency key (docs/payment-demands.md). */
    public static final Set<String> WRITES = Set.of(SUBMIT, MODIFY, INVALIDATE);

    /** The body elements of {@link #WRITES}, whose idempotency store is their replay protection. */
    public static Set<QName> writeElements() {
        return WRITES.stream().map(operation -> new QName(NAMESPACE, operation)).collect(Collectors.toSet());
    }

    private PaymentDemandOperations() {
    }

    /** Views served, by operation, for {@code AccessPolicy.load}. */
    public static Map<String, Set<String>> servedViews() {
        return List.of(LIST, SUBMIT, MODIFY, INVALIDATE).stream()
                .collect(Collectors.toMap(Function.identity(), operation -> Set.of(VIEW)));
    }
}
