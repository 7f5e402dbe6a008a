package fi.kelmu.gateway.mandate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.http.OutboundHttp;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online mandate check against a Suomi.fi-valtuudet style service, modelled on its Web API's YPA
 * organisation-roles call:
 *
 * <pre>
 * GET {baseUrl}/service/ypa/api/organizationRoles/{delegateHetu}?organizationIdentifier={ytunnus}&amp;requestId={id}
 * X-AsiointivaltuudetAuthorization: {clientId} {ISO-8601 timestamp} {base64(HMAC-SHA256(apiKey, path + " " + timestamp))}
 *
 * 200 [{"name": "...", "identifier": "9000001-1", "roles": ["ETUUSTIEDOT_MAKSUVAATIMUKSET"], "complete": true}]
 *     (an empty array: no mandates in force)
 * 401 missing, wrong or stale (more than 5 minutes off) authorization header
 * </pre>
 *
 * The service evaluates validity at query time and returns no dates, so a revoked or expired mandate is
 * simply absent (R-MAND-4). The answer is trusted only when it is exactly about what was asked: every
 * entry must name the organisation asked for (an entry about another organisation means the answer is
 * not the one asked for, and the whole answer is refused), must be {@code complete: true} and must list
 * its roles as strings. Unknown JSON fields are ignored. Everything else, from a refused connection to a
 * 401, fails closed with {@link FaultCode#MANDATE_SERVICE_UNAVAILABLE}: an error never reads as "no
 * mandates" nor as "allowed".
 *
 * <p>Every outcome is logged once with the request id; the henkilötunnus only masked ({@link HetuMask}).
 */
public final class SuomiFiMandateClient implements MandateLookup {

    public static final String ORGANIZATION_ROLES_PATH = "/service/ypa/api/organizationRoles/";
    private static final Logger LOG = LoggerFactory.getLogger(SuomiFiMandateClient.class);
    /** henkilötunnus characters only: the value goes into a URL path. */
    private static final Pattern PATH_SAFE = Pattern.compile("[0-9A-Za-z+-]{1,32}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MandateServiceSettings settings;
    private final String base;
    private final HttpClient httpClient;
    private final Clock clock;

    public SuomiFiMandateClient(MandateServiceSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        String url = settings.baseUrl().toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.httpClient = OutboundHttp.client(settings.connectTimeout());
    }

    /**
     * The online check as configured: the client, wrapped in a {@link CachingMandateLookup} unless the cache
     * is off (zero seconds); {@link MandateResolution#NO_ONLINE_CHECK} when the online check is off.
     */
    public static MandateLookup of(MandateSettings settings, Clock clock) {
        if (settings.onlineCheck() == MandateResolution.OnlineCheck.OFF) {
            return MandateResolution.NO_ONLINE_CHECK;
        }
        SuomiFiMandateClient client = new SuomiFiMandateClient(settings.service().orElseThrow(() ->
                new IllegalStateException("the online mandate check needs kelmu.mandate.service.*")), clock);
        if (settings.cache().isZero()) {
            return client;
        }
        return new CachingMandateLookup(client, settings.cache(), settings.cacheMaxEntries(), clock);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the henkilötunnus or Y-tunnus holds characters no such code
     *         has (a caller's bug: the values are validated before this), or the request id is null
     */
    @Override
    public OnlineMandates mandatesInForce(String userHetu, String organisationBusinessId, String requestId) {
        Objects.requireNonNull(requestId, "requestId");
        if (userHetu == null || !PATH_SAFE.matcher(userHetu).matches()) {
            throw new IllegalArgumentException("not a henkilötunnus: " + HetuMask.mask(userHetu));
        }
        if (organisationBusinessId == null || !PATH_SAFE.matcher(organisationBusinessId).matches()) {
            throw new IllegalArgumentException("not a Y-tunnus: " + organisationBusinessId);
        }
        String user = HetuMask.mask(userHetu);
        try {
            OnlineMandates answer;
            try {
                answer = call(userHetu, organisationBusinessId, requestId);
            } catch (RuntimeException e) {
                if (e instanceof GatewayException) {
                    throw e;
                }
                // whatever went wrong, it is no answer: fail closed with the mandate fault, not an internal one
                throw unavailable("mandate check failed unexpectedly: " + e.getClass().getName(), e);
            }
            LOG.info("mandate check requestId={} user={} organisation={}: {} in force", requestId, user,
                    organisationBusinessId, answer.codes().isEmpty() ? "no mandate" : answer.codes());
            return answer;
        } catch (GatewayException e) {
            LOG.warn("mandate check requestId={} user={} organisation={} failed, access refused: {}", requestId,
                    user, organisationBusinessId, e.getMessage());
            throw e;
        }
    }

    private OnlineMandates call(String userHetu, String organisation, String requestId) {
        URI uri = URI.create(base + ORGANIZATION_ROLES_PATH + userHetu
                + "?organizationIdentifier=" + URLEncoder.encode(organisation, StandardCharsets.UTF_8)
                + "&requestId=" + URLEncoder.encode(requestId, StandardCharsets.UTF_8));
        // signed exactly as sent: the raw path after the host, base path and query included
        String pathAndQuery = uri.getRawPath() + "?" + uri.getRawQuery();
        Instant now = clock.instant();
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(settings.readTimeout())
                .header("Accept", "application/json")
                .header(MandateServiceAuthorization.HEADER,
                        MandateServiceAuthorization.header(settings.clientId(), settings.apiKey(), pathAndQuery, now))
                .GET()
                .build();
        HttpResponse<byte[]> response;
        try {
            response = httpClient.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException e) {
            throw unavailable("connect to " + base + " timed out after " + settings.connectTimeout(), e);
        } catch (HttpTimeoutException e) {
            throw unavailable("no answer from " + base + " within " + settings.readTimeout(), e);
        } catch (IOException e) {
            throw unavailable("I/O failure calling " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted calling " + base, e);
        }
        int status = response.statusCode();
        if (status == 401) {
            throw unavailable("mandate service refused our authorization (HTTP 401): check client id, API key"
                    + " and the clock", null);
        }
        if (status != 200) {
            throw unavailable("mandate service answered HTTP " + status, null);
        }
        return new OnlineMandates(userHetu, organisation, codes(response.body(), organisation), requestId, now,
                false);
    }

    /** The roles the answer lists for {@code organisation}, refusing any answer not exactly about it. */
    private static Set<String> codes(byte[] body, String organisation) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            // the original message only: the location part could quote the body
            throw unavailable("mandate service answer is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw unavailable("mandate service answer cannot be read: " + e.getClass().getSimpleName(), e);
        }
        if (root == null || !root.isArray()) {
            throw unavailable("mandate service answer is not a JSON array", null);
        }
        Set<String> codes = new TreeSet<>();
        for (JsonNode entry : root) {
            JsonNode identifier = entry.get("identifier");
            if (identifier == null || !identifier.isTextual()) {
                throw unavailable("mandate service answer has an entry without an organisation identifier", null);
            }
            if (!organisation.equals(identifier.textValue())) {
                throw unavailable("mandate service answered about organisation " + identifier.textValue()
                        + " to a question about " + organisation, null);
            }
            JsonNode complete = entry.get("complete");
            if (complete == null || !complete.isBoolean() || !complete.booleanValue()) {
                throw unavailable("mandate service answer is incomplete (complete is not true)", null);
            }
            JsonNode roles = entry.get("roles");
            if (roles == null || !roles.isArray()) {
                throw unavailable("mandate service answer has no roles array", null);
            }
            for (JsonNode role : roles) {
                if (!role.isTextual() || role.textValue().isBlank()) {
                    throw unavailable("mandate service answer has a role that is not a code: " + role, null);
                }
                codes.add(role.textValue());
            }
        }
        return codes;
    }

    private static GatewayException unavailable(String reason, Throwable cause) {
        return new GatewayException(FaultCode.MANDATE_SERVICE_UNAVAILABLE, null, reason, cause);
    }
}
