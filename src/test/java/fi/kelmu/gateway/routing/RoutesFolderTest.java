package fi.kelmu.gateway.routing;

import static fi.kelmu.gateway.support.TestData.VALID_REQUEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.support.TestGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routes are read from the routes folder at start-up: an operator's edit changes behaviour, no rebuild. */
class RoutesFolderTest {

    private static final String GET_BSA = "get-basic-social-assistance-helsinki.xml";

    @Test
    void bothOperationsAnswerWithTheCommittedRoutes(@TempDir Path routes) throws Exception {
        copyRoutes(routes);
        try (Gateway gateway = TestGateway.startSandbox(Map.of("kelmu.routes.directory", routes.toString()))) {
            assertEquals(200, SoapHttp.post(gateway.serviceUrl(), Signing.signedFixture(GET_BSA, "9000007-0"), null).status());
            assertEquals(200, SoapHttp.post(gateway.serviceUrl(), Signing.signedFixture(VALID_REQUEST, "9000001-1"), null).status());
        }
    }

    @Test
    void anOperationTakenOutOfTheDispatchRouteFileIsNoLongerServed(@TempDir Path routes) throws Exception {
        copyRoutes(routes);
        Path dispatch = routes.resolve("benefit-information-service.camel.yaml");
        String yaml = Files.readString(dispatch);
        String branch = """
                              - simple: "${header.operationName} == 'getBasicSocialAssistance'"
                                steps:
                                  - to: direct:get-basic-social-assistance
                """;
        String edited = yaml.replace(branch, "");
        assertNotEquals(yaml, edited, "the branch to remove is in the committed route");
        Files.writeString(dispatch, edited);

        try (Gateway gateway = TestGateway.startSandbox(Map.of("kelmu.routes.directory", routes.toString()))) {
            SoapHttp.Response refused = SoapHttp.post(gateway.serviceUrl(), Signing.signedFixture(GET_BSA, "9000007-0"), null);
            assertEquals("soap:Client.InvalidRequest", refused.faultCode());
            assertEquals(200, SoapHttp.post(gateway.serviceUrl(), Signing.signedFixture(VALID_REQUEST, "9000001-1"), null).status());
        }
    }

    private static void copyRoutes(Path target) throws IOException {
        Path source = Path.of(System.getProperty("kelmu.project.dir", "."), "routes");
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
    }
}
