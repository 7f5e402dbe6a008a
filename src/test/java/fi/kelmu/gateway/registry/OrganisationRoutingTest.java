package fi.kelmu.gateway.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.transport.GatewayExchange;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** R-CONT-1: the caller is served only on a day one of its contract periods covers, judged in Finnish time. */
class OrganisationRoutingTest {

    private static final Organisation HVA = new Organisation("9000001-1", "HVA", OrganisationType.HVA, Set.of("049"),
            List.of(new Organisation.Contract(LocalDate.of(2023, 1, 1), null, "C-1")));

    @Test
    void hvaIsServedFromTheFirstDayOfItsContractR_CONT_1() {
        Exchange exchange = exchange(HVA);
        OrganisationRouting routing = new OrganisationRouting(clockAt("2022-12-31T22:00:00Z")); // 00:00 in Helsinki
        routing.requireContract(exchange);
        routing.resolveCaller(exchange);
        assertEquals("HVA", exchange.getIn().getHeader(GatewayExchange.ORGANISATION_TYPE_HEADER));
    }

    @Test
    void hvaIsRefusedTheDayBeforeItsContractStartsR_CONT_1() {
        GatewayException e = assertThrows(GatewayException.class,
                () -> new OrganisationRouting(clockAt("2022-12-31T21:00:00Z")).requireContract(exchange(HVA)));
        assertEquals(FaultCode.NO_VALID_CONTRACT, e.faultCode());
    }

    @Test
    void organisationWithoutAnyContractIsRefused() {
        Organisation none = new Organisation("9000006-2", "Kunta", OrganisationType.KUNTA, Set.of("837"), List.of());
        GatewayException e = assertThrows(GatewayException.class,
                () -> new OrganisationRouting(clockAt("2026-06-01T12:00:00Z")).requireContract(exchange(none)));
        assertEquals(FaultCode.NO_VALID_CONTRACT, e.faultCode());
    }

    @Test
    void expiredContractNoLongerServesR_CONT_1() {
        Organisation expired = new Organisation("9000006-2", "Kunta", OrganisationType.KUNTA, Set.of("837"),
                List.of(new Organisation.Contract(LocalDate.of(2019, 1, 1), LocalDate.of(2024, 12, 31), "C-OLD")));
        new OrganisationRouting(clockAt("2024-12-31T21:59:00Z")).requireContract(exchange(expired)); // 23:59 Helsinki
        GatewayException e = assertThrows(GatewayException.class,
                () -> new OrganisationRouting(clockAt("2024-12-31T22:00:00Z")).requireContract(exchange(expired)));
        assertEquals(FaultCode.NO_VALID_CONTRACT, e.faultCode());
    }

    @Test
    void sandboxKuntayhtymaIsServedUntilTheEndOf2022AndRefusedFrom2023R_CONT_3() {
        Organisation kuntayhtyma = OrganisationRegistry.load(new fi.kelmu.gateway.config.ResourceLocation(
                "classpath:registry/organisations-sandbox.xml"), MunicipalityReference.load()).require("9000008-9");
        new OrganisationRouting(clockAt("2022-12-31T12:00:00Z")).requireContract(exchange(kuntayhtyma));
        GatewayException e = assertThrows(GatewayException.class,
                () -> new OrganisationRouting(clockAt("2023-01-01T12:00:00Z")).requireContract(exchange(kuntayhtyma)));
        assertEquals(FaultCode.NO_VALID_CONTRACT, e.faultCode());
    }

    private static Exchange exchange(Organisation caller) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(GatewayExchange.ORGANISATION, caller);
        return exchange;
    }

    private static Clock clockAt(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }
}
