package fi.kelmu.gateway.identity;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.registry.Organisation;
import fi.kelmu.gateway.registry.OrganisationRegistry;
import fi.kelmu.gateway.security.CertificateTrust;
import fi.kelmu.gateway.security.OrganisationIdentity;
import fi.kelmu.gateway.security.VerifiedMessage;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Who is calling (docs/architecture.md step 3). A signed message (WS-Security mode): from the signing certificate
 * alone: its Y-tunnus must equal the signed {@code client/memberCode}, be registered, and equal the TLS client
 * certificate's when there is one; a header's claim is never believed on its own. A message a configured security
 * server delivered (X-Road mode): the client header's member, which the client's security server proved and
 * Kela's security server checked, and which must be registered. Then refuses replays, by X-Road message id per
 * organisation and (signed messages) by signature value, for as long as the message could still be accepted.
 */
public final class CallerAuthentication {

    private final OrganisationRegistry registry;
    private final ReplayCache replayCache;
    private final Duration replayWindow;

    /**
     * @param replayWindow how long message identities are remembered: as long as a signed message's timestamp
     *                     could be accepted, or (X-Road mode) the configured message id retention
     */
    public CallerAuthentication(OrganisationRegistry registry, ReplayCache replayCache, Duration replayWindow) {
        this.registry = registry;
        this.replayCache = replayCache;
        this.replayWindow = replayWindow;
    }

    /**
     * The registered organisation that sent {@code message}.
     *
     * @param headers the message's X-Road headers, read from it (covered)
     * @param tlsPeer the TLS client certificate of the connection, or null when there was none
     */
    public Organisation authenticate(VerifiedMessage message, XRoadHeaders headers, X509Certificate tlsPeer) {
        Organisation organisation = identify(message, headers, tlsPeer);
        refuseReplay(message, headers, organisation);
        return organisation;
    }

    /** Who sent {@code message}: the registered organisation, before the replay check ({@link #authenticate}). */
    public Organisation identify(VerifiedMessage message, XRoadHeaders headers, X509Certificate tlsPeer) {
        String caller = message.securityServer().isPresent() ? headers.client().memberCode()
                : signer(message, headers, tlsPeer);
        return registry.require(caller);
    }

    /** Refuses a message of {@code organisation} seen before: its X-Road id, or (signed) its signature value. */
    public void refuseReplay(VerifiedMessage message, XRoadHeaders headers, Organisation organisation) {
        String caller = organisation.businessId();
        Instant expiry = message.created().plus(replayWindow);
        String idKey = ReplayClaim.messageIdKey(caller, headers.id());
        List<String> keys = new ArrayList<>(2);
        if (message.securityServer().isEmpty()) {
            // a digest of the signature value identifies it as well and keeps the cache small (RSA values are 256+ bytes)
            keys.add("sig:" + Base64.getEncoder().encodeToString(sha256(message.signatureValue())));
        }
        keys.add(idKey);
        List<String> seen = replayCache.seenBefore(keys, expiry);
        if (seen.contains(idKey)) {
            throw new GatewayException(FaultCode.REPLAYED_MESSAGE, null,
                    "X-Road message id " + headers.id() + " of " + caller + " seen before");
        }
        if (!seen.isEmpty()) {
            throw new GatewayException(FaultCode.REPLAYED_MESSAGE, null, "signature value seen before");
        }
    }

    /** The Y-tunnus the signing certificate proves, when it is the client header's and the TLS certificate's. */
    private static String signer(VerifiedMessage message, XRoadHeaders headers, X509Certificate tlsPeer) {
        String claimed = headers.client().memberCode();
        String proven = OrganisationIdentity.businessIdOf(message.certificate()).orElseThrow(() ->
                new GatewayException(FaultCode.ORGANISATION_MISMATCH, null, "certificate "
                        + CertificateTrust.describe(message.certificate()) + " names no organisation (Y-tunnus)"));
        if (!proven.equals(claimed)) {
            throw new GatewayException(FaultCode.ORGANISATION_MISMATCH, null,
                    "certificate proves " + proven + " but client/memberCode is " + claimed);
        }
        if (tlsPeer != null) {
            String tlsOrganisation = OrganisationIdentity.businessIdOf(tlsPeer).orElse(null);
            if (!proven.equals(tlsOrganisation)) {
                throw new GatewayException(FaultCode.ORGANISATION_MISMATCH, null,
                        "TLS client certificate names " + tlsOrganisation + " but the message signature " + proven);
            }
        }
        return proven;
    }

    private static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
