package fi.kelmu.gateway.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import fi.kelmu.gateway.config.ResourceLocation;
import fi.kelmu.gateway.identifier.BusinessId;
import fi.kelmu.gateway.identifier.PersonalIdentityCode;
import fi.kelmu.gateway.mandate.HetuMask;
import fi.kelmu.gateway.mandate.MandateServiceAuthorization;
import fi.kelmu.gateway.mandate.SuomiFiMandateClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandbox stand-in for the Suomi.fi-valtuudet mandate service: serves the organisation-roles call that
 * {@link SuomiFiMandateClient} makes, on loopback, from demo grants, so the online mandate check runs the
 * same client code in sandbox mode as against the real service.
 *
 * <p>Like the real service it checks the {@value MandateServiceAuthorization#HEADER} signature (HTTP 401
 * when missing, wrong or more than five minutes off its clock) and evaluates validity at query time,
 * answering with codes only, no dates: a grant revoked or expired by the simulator's clock is simply
 * absent (R-MAND-4). Each grant has a user, an organisation, a code, {@code validFrom} and optionally
 * {@code validTo} (inclusive) and {@code revokedAt} (not in force from the start of that day); dates are
 * Finnish calendar days.
 */
public final class MandateServiceSimulator implements AutoCloseable {

    public static final String CONTEXT_PATH = "/valtuudet";
    private static final ZoneId FINLAND = ZoneId.of("Europe/Helsinki");
    private static final Logger LOG = LoggerFactory.getLogger(MandateServiceSimulator.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Grant> grants;
    private final Map<String, String> organisationNames;
    private final String clientId;
    private final String apiKey;
    private final Clock clock;
    private final SimulatorServer server;

    private MandateServiceSimulator(List<Grant> grants, Map<String, String> organisationNames, String clientId,
            String apiKey, Clock clock, SimulatorServer server) {
        this.grants = grants;
        this.organisationNames = organisationNames;
        this.clientId = clientId;
        this.apiKey = apiKey;
        this.clock = clock;
        this.server = server;
    }

    /**
     * Starts on {@code host:port} (port 0: any free port) with the demo grants at {@code data}, accepting
     * requests signed by {@code clientId} with {@code apiKey}, judging validity and signature times by
     * {@code clock}.
     */
    public static MandateServiceSimulator start(String host, int port, ResourceLocation data, String clientId,
            String apiKey, Clock clock) throws IOException {
        JsonNode root;
        try (InputStream in = data.open()) {
            root = JSON.readTree(in);
        }
        Map<String, String> names = new HashMap<>();
        root.path("organisations").properties().forEach(e -> names.put(e.getKey(), e.getValue().asText()));
        List<Grant> grants = new ArrayList<>();
        JsonNode grantNodes = root.get("grants");
        if (grantNodes == null || !grantNodes.isArray()) {
            throw new IllegalStateException(data + ": no grants array");
        }
        for (JsonNode node : grantNodes) {
            grants.add(Grant.of(node, data));
        }
        SimulatorServer server = SimulatorServer.create(host, port, 2, "mandate-simulator", CONTEXT_PATH);
        MandateServiceSimulator simulator = new MandateServiceSimulator(List.copyOf(grants), Map.copyOf(names),
                clientId, apiKey, clock, server);
        server.handle(SuomiFiMandateClient.ORGANIZATION_ROLES_PATH, simulator::handleRoles);
        server.start();
        LOG.info("sandbox mandate service simulator serving {} demo grants at {}", grants.size(), simulator.baseUrl());
        return simulator;
    }

    /** The base URL for {@code kelmu.mandate.service.base-url}. */
    public URI baseUrl() {
        return server.baseUrl();
    }

    private void handleRoles(HttpExchange http) throws IOException {
        try (http) {
            if (!"GET".equals(http.getRequestMethod())) {
                respond(http, 405, error("GET only"));
                return;
            }
            URI uri = http.getRequestURI();
            String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            if (!MandateServiceAuthorization.verify(http.getRequestHeaders().getFirst(MandateServiceAuthorization.HEADER),
                    clientId, apiKey, pathAndQuery, clock.instant())) {
                LOG.info("mandate simulator refused a request to {}: bad or missing authorization", uri.getRawPath()
                        .replaceFirst("[^/]+$", "****"));
                respond(http, 401, error("unauthorized"));
                return;
            }
            String user = uri.getPath().substring((CONTEXT_PATH + SuomiFiMandateClient.ORGANIZATION_ROLES_PATH).length());
            Map<String, String> query = query(uri.getRawQuery());
            String organisation = query.get("organizationIdentifier");
            String requestId = query.get("requestId");
            if (user.isEmpty() || user.contains("/") || organisation == null || requestId == null) {
                respond(http, 400, error("delegate, organizationIdentifier and requestId are required"));
                return;
            }
            // the date in Finland whatever the clock's own zone
            LocalDate today = LocalDate.ofInstant(clock.instant(), FINLAND);
            Set<String> roles = new TreeSet<>();
            for (Grant grant : grants) {
                if (grant.user.equals(user) && grant.organisation.equals(organisation) && grant.inForceOn(today)) {
                    roles.add(grant.code);
                }
            }
            ArrayNode answer = JSON.createArrayNode();
            if (!roles.isEmpty()) {
                ObjectNode org = answer.addObject();
                org.put("name", organisationNames.getOrDefault(organisation, organisation));
                org.put("identifier", organisation);
                roles.forEach(org.putArray("roles")::add);
                org.put("complete", true);
            }
            LOG.info("mandate simulator requestId={} user={} organisation={} on {}: {}", requestId,
                    HetuMask.mask(user), organisation, today, roles);
            respond(http, 200, answer);
        } catch (RuntimeException e) {
            LOG.error("mandate simulator failed", e);
            respond(http, 500, error("internal"));
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static JsonNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static void respond(HttpExchange http, int status, JsonNode body) throws IOException {
        SimulatorServer.send(http, status, "application/json; charset=UTF-8", JSON.writeValueAsBytes(body));
    }

    @Override
    public void close() {
        server.close();
    }

    /** One demo mandate: {@code user} may act for {@code organisation} in {@code code}, for a time. */
    private record Grant(String user, String organisation, String code, LocalDate validFrom, LocalDate validTo,
            LocalDate revokedAt) {

        static Grant of(JsonNode node, ResourceLocation data) {
            String user = text(node, "user", data);
            String organisation = text(node, "organisation", data);
            if (!PersonalIdentityCode.isValid(user)) {
                throw new IllegalStateException(data + ": grant user is not a valid henkilötunnus: " + HetuMask.mask(user));
            }
            if (!BusinessId.isValid(organisation)) {
                throw new IllegalStateException(data + ": grant organisation is not a valid Y-tunnus: " + organisation);
            }
            Grant grant = new Grant(user, organisation, text(node, "code", data),
                    date(node, "validFrom", true, data), date(node, "validTo", false, data),
                    date(node, "revokedAt", false, data));
            if (grant.validTo != null && grant.validTo.isBefore(grant.validFrom)) {
                throw new IllegalStateException(data + ": grant ends before it starts: " + grant.code);
            }
            return grant;
        }

        boolean inForceOn(LocalDate day) {
            return !day.isBefore(validFrom) && (validTo == null || !day.isAfter(validTo))
                    && (revokedAt == null || day.isBefore(revokedAt));
        }

        private static String text(JsonNode node, String field, ResourceLocation data) {
            JsonNode value = node.get(field);
            if (value == null || !value.isTextual() || value.textValue().isBlank()) {
                throw new IllegalStateException(data + ": every grant needs " + field);
            }
            return value.textValue();
        }

        private static LocalDate date(JsonNode node, String field, boolean required, ResourceLocation data) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                if (required) {
                    throw new IllegalStateException(data + ": every grant needs " + field);
                }
                return null;
            }
            try {
                return LocalDate.parse(value.asText());
            } catch (DateTimeParseException e) {
                throw new IllegalStateException(data + ": " + field + " is not a date (yyyy-mm-dd): " + value, e);
            }
        }
    }
}
