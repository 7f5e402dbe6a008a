package fi.kelmu.gateway.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.config.ResourceLocation;
import fi.kelmu.gateway.policy.AccessPolicy;
import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.registry.MunicipalityReference;
import fi.kelmu.gateway.registry.Organisation;
import fi.kelmu.gateway.registry.OrganisationRegistry;
import fi.kelmu.gateway.registry.OrganisationType;
import fi.kelmu.gateway.support.TestRequests;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

/** R-CONT-1: the caller is served only on a day one of its contract periods covers, judged in Finnish time. */
class ContractAndRoutingStepsTest {

    private static final AccessPolicy POLICY = AccessPolicy.load(new ResourceLocation("classpath:policy/kelmu-policy.xml"),
            Gateway.servedViews());

    private static final Organisation HVA = new Organisation("9000001-1", "HVA", OrganisationType.HVA, Set.of("049"),
            List.of(new Organisation.Contract(LocalDate.of(2023, 1, 1), null, "C-1")));

    @Test
    void hvaIsServedFromTheFirstDayOfItsContractR_CONT_1() {
        Exchange exchange = exchange(HVA);
        contractStep("2022-12-31T22:00:00Z").requireContract(exchange); // 00:00 in Helsinki
        new RoutingSteps().byOrganisationType(exchange);
        assertEquals("HVA", exchange.getIn().getHeader(GatewayExchange.ORGANISATION_TYPE_HEADER));
    }

    @Test
    void hvaIsRefusedTheDayBeforeItsContractStartsR_CONT_1() {
        GatewayException e = assertThrows(GatewayException.class,
                () -> contractStep("2022-12-31T21:00:00Z").requireContract(exchange(HVA)));
        assertEquals(FaultCode.NO_VALID_CONTRACT, e.faultCode());
    }

    @Test
    void organisationWithoutAnyContractIsRefused() {
        Organisation none = new Organisation("9000006-2", "Kunta", OrganisationType.KUNTA, Set.of("837"), List.of());
        GatewayException e = assertThrows(GatewayException.class,
                () -> contractStep("2026-06-01T12:00:00Z").requireContract(exchange(none)));
        assertEquals(FaultCode.NO_VALID_CONTRACT, e.faultCode());
    }

    @Test
    void expiredContractNoLongerServesR_CONT_1() {
        Organisation expired = new Organisation("9000006-2", "Kunta", OrganisationType.KUNTA, Set.of("837"),
                List.of(new Organisation.Contract(LocalDate.of(2019, 1, 1), LocalDate.of(2024, 12, 31), "C-OLD")));
        contractStep("2024-12-31T21:59:00Z").requireContract(exchange(expired)); // 23:59 Helsinki
        GatewayException e = assertThrows(GatewayException.class,
                () -> contractStep("2024-12-31T22:00:00Z").requireContract(exchange(expired)));
        assertEquals(FaultCode.NO_VALID_CONTRACT, e.faultCode());
    }

    @Test
    void sandboxKuntayhtymaIsServedUntilTheEndOf2022AndRefusedFrom2023R_CONT_3() {
        Organisation kuntayhtyma = OrganisationRegistry.load(new ResourceLocation(
                "classpath:registry/organisations-sandbox.xml"), MunicipalityReference.load()).require("9000008-9");
        contractStep("2022-12-31T12:00:00Z").requireContract(exchange(kuntayhtyma));
        GatewayException e = assertThrows(GatewayException.class,
                () -> contractStep("2023-01-01T12:00:00Z").requireContract(exchange(kuntayhtyma)));
        assertEquals(FaultCode.NO_VALID_CONTRACT, e.faultCode());
    }

    private static Exchange exchange(Organisation caller) {
        return TestRequests.exchange(caller);
    }

    private static PolicySteps contractStep(String instant) {
        return new PolicySteps(POLICY, clockAt(instant));
    }

    private static Clock clockAt(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }
}
