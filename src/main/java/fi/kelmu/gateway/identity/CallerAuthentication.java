package fi.kelmu.gateway.identity;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.registry.Organisation;
import fi.kelmu.gateway.registry.OrganisationRegistry;
import fi.kelmu.gateway.security.CertificateTrust;
import fi.kelmu.gateway.security.OrganisationIdentity;
import fi.kelmu.gateway.security.VerifiedMessage;
import fi.kelmu.gateway.xml.Dom;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import javax.xml.namespace.QName;
import org.w3c.dom.Element;

/**
 * Who is calling (docs/architecture.md step 3). A signed message (WS-Security mode): from the signing certificate
 * alone: its Y-tunnus must equal the signed {@code client/memberCode}, be registered, and equal the TLS client
 * certificate's when there is one; a header's claim is never believed on its own. A message a configured security
 * server delivered (X-Road mode): the client header's member, which the client's security server proved and
 * Kela's security server checked, and which must be registered. Then refuses replays, by X-Road message id per
 * organisation and (signed messages) by signature value, for as long as the message could still be accepted;
 * except for the writes that are exactly once by their X-Road id, whose idempotency store answers a message sent
 * again with its first answer (docs/payment-demands.md, "Exactly once").
 */
public final class CallerAuthentication {

    private final OrganisationRegistry registry;
    private final ReplayCache replayCache;
    private final Duration replayWindow;
    /** Body elements of writes whose idempotency store is their replay protection (docs/payment-demands.md). */
    private final Set<QName> exactlyOnceWrites;

    /**
     * @param replayWindow how long message identities are remembered: as long as a signed message's timestamp
     *                     could be accepted, or (X-Road mode) the configured message id retention
     */
    public CallerAuthentication(OrganisationRegistry registry, ReplayCache replayCache, Duration replayWindow) {
        this(registry, replayCache, replayWindow, Set.of());
    }

    /**
     * @param exactlyOnceWrites body elements of the writes that are exactly once by their X-Road id: a message sent
     *                          again gets the stored answer of its first sending and has no second effect, so the
     *                          replay cache does not refuse it (refusing a retry would leave the caller unable to
     *                          learn the outcome)
     */
    public CallerAuthentication(OrganisationRegistry registry, ReplayCache replayCache, Duration replayWindow,
            Set<QName> exactlyOnceWrites) {
        this.registry = registry;
        this.replayCache = replayCache;
        this.replayWindow = replayWindow;
        this.exactlyOnceWrites = Set.copyOf(exactlyOnceWrites);
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
        if (isExactlyOnceWrite(message)) {
            return;
        }
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

    /** Whether the verified body is a write that is exactly once by its X-Road id (its body is covered). */
    private boolean isExactlyOnceWrite(VerifiedMessage message) {
        if (exactlyOnceWrites.isEmpty() || message.envelope() == null) {
            return false;
        }
        Element body = Dom.firstChild(message.envelope(), Dom.SOAP_NS, "Body");
        List<Element> operation = body == null ? List.of() : Dom.children(body);
        return operation.size() == 1 && exactlyOnceWrites.contains(Dom.name(operation.get(0)))
                && message.covers(body);
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
