package fi.kelmu.gateway.support;

import fi.kelmu.gateway.clientkit.ClientKit;
import fi.kelmu.gateway.sandbox.PkiBuilder;
import fi.kelmu.gateway.sandbox.SandboxPki;
import fi.kelmu.gateway.security.MessageSigner;
import fi.kelmu.gateway.security.SecurityMaterial;
import fi.kelmu.gateway.transport.InboundChain;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.xml.namespace.QName;
import org.apache.wss4j.common.WSEncryptionPart;
import org.apache.wss4j.common.crypto.Merlin;
import org.apache.wss4j.common.ext.WSSecurityException;
import org.apache.wss4j.dom.WSConstants;
import org.apache.wss4j.dom.engine.WSSConfig;
import org.apache.wss4j.dom.message.WSSecHeader;
import org.apache.wss4j.dom.message.WSSecSignature;
import org.apache.wss4j.dom.message.WSSecTimestamp;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Signs request fixtures as a caller would: fresh X-Road message id, fresh Timestamp, the organisation's sandbox key. */
public final class Signing {

    private Signing() {
    }

    public static KeyStore keyStoreOf(String businessId) {
        return SecurityMaterial.keyStore(TestGateway.pki().organisationKeyStore(businessId), SandboxPki.PASSWORD);
    }

    public static MessageSigner signerOf(String businessId) {
        return new MessageSigner(keyStoreOf(businessId), businessId, SandboxPki.PASSWORD);
    }

    /**
     * A signer whose certificate the sandbox CA issued for {@code businessId} and {@code subjectDn}
     * (by default an organisation certificate), valid from {@code notBefore} to {@code notAfter}: for callers
     * the registry does not know, expired certificates and the like.
     */
    public static MessageSigner signerIssuedByCa(String businessId, String subjectDn, Instant notBefore,
            Instant notAfter) {
        try {
            KeyStore ca = SecurityMaterial.keyStore(TestGateway.pki().caKeyStore(), SandboxPki.PASSWORD);
            PrivateKey caKey = (PrivateKey) ca.getKey(SandboxPki.CA_ALIAS, SandboxPki.PASSWORD);
            X509Certificate caCert = (X509Certificate) ca.getCertificate(SandboxPki.CA_ALIAS);
            KeyPair keys = PkiBuilder.rsa(2048);
            String dn = subjectDn != null ? subjectDn : PkiBuilder.organisationDn("Test " + businessId, businessId, true);
            X509Certificate cert = PkiBuilder.issue(dn, keys.getPublic(), caCert, caKey, notBefore, notAfter, null, null);
            return signerWith(keys.getPrivate(), new X509Certificate[] {cert, caCert});
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A signer with an EC P-256 key whose organisation certificate the sandbox CA issued for {@code businessId}. */
    public static MessageSigner ecSignerIssuedByCa(String businessId) {
        return new MessageSigner(ecKeyStoreIssuedByCa(businessId), "key", SandboxPki.PASSWORD);
    }

    /**
     * A key store (password {@code sandbox}) with an EC P-256 key under alias {@code key}, its organisation
     * certificate issued by the sandbox CA for {@code businessId}, and the CA: an organisation that signs with EC.
     */
    public static KeyStore ecKeyStoreIssuedByCa(String businessId) {
        try {
            KeyStore ca = SecurityMaterial.keyStore(TestGateway.pki().caKeyStore(), SandboxPki.PASSWORD);
            PrivateKey caKey = (PrivateKey) ca.getKey(SandboxPki.CA_ALIAS, SandboxPki.PASSWORD);
            X509Certificate caCert = (X509Certificate) ca.getCertificate(SandboxPki.CA_ALIAS);
            KeyPair keys = PkiBuilder.ec("secp256r1");
            X509Certificate cert = PkiBuilder.issue(PkiBuilder.organisationDn("EC " + businessId, businessId, true),
                    keys.getPublic(), caCert, caKey, Instant.now().minusSeconds(3600), Instant.now().plusSeconds(86400),
                    null, null);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", keys.getPrivate(), SandboxPki.PASSWORD, new X509Certificate[] {cert, caCert});
            return store;
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static MessageSigner signerWith(PrivateKey key, X509Certificate[] chain) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", key, SandboxPki.PASSWORD, chain);
            return new MessageSigner(store, "key", SandboxPki.PASSWORD);
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A signer whose certificate names {@code businessId} like the sandbox's, but which a self-signed rogue CA
     * issued: a clone of the organisation's identity that the gateway does not trust.
     */
    public static MessageSigner signerOfAnUntrustedCa(String businessId) {
        KeyPair caKeys = PkiBuilder.rsa(2048);
        X509Certificate rogueCa = PkiBuilder.selfSignedCa("CN=Rogue CA, O=Rogue, C=FI", caKeys,
                Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600));
        KeyPair keys = PkiBuilder.rsa(2048);
        X509Certificate clone = PkiBuilder.issue(PkiBuilder.organisationDn("Clone of " + businessId, businessId, false),
                keys.getPublic(), rogueCa, caKeys.getPrivate(), Instant.now().minusSeconds(60),
                Instant.now().plusSeconds(3600), null, null);
        return signerWith(keys.getPrivate(), new X509Certificate[] {clone, rogueCa});
    }

    /** The fixture, parsed, with a fresh message id; unsigned. */
    public static Document unsignedDocument(String fixture) {
        return freshId(SoapHttp.parse(SoapHttp.fixture(fixture)));
    }

    /** The fixture with a fresh message id, signed by {@code signer} as a caller signs: every signed part. */
    public static Document signedDocument(String fixture, MessageSigner signer) {
        Document envelope = unsignedDocument(fixture);
        signer.sign(envelope, InboundChain.REQUEST_SIGNED_PARTS, 300);
        return envelope;
    }

    /**
     * Signs {@code envelope} as no correct caller does: a Timestamp, and a signature with {@code businessId}'s
     * sandbox key over the Timestamp and exactly {@code parts} (by name; the Body only when listed). For
     * signatures {@link MessageSigner} cannot make, such as one that leaves the Body out.
     */
    public static Document signOnly(Document envelope, String businessId, List<QName> parts) {
        try {
            WSSConfig.init();
            KeyStore keyStore = keyStoreOf(businessId);
            boolean ec = "EC".equals(keyStore.getKey(businessId, SandboxPki.PASSWORD).getAlgorithm());
            WSSecHeader securityHeader = new WSSecHeader(envelope);
            securityHeader.setMustUnderstand(false);
            securityHeader.insertSecurityHeader();
            WSSecTimestamp timestamp = new WSSecTimestamp(securityHeader);
            timestamp.setTimeToLive(300);
            timestamp.build();
            WSSecSignature signature = new WSSecSignature(securityHeader);
            signature.setUserInfo(businessId, new String(SandboxPki.PASSWORD));
            signature.setKeyIdentifierType(WSConstants.BST_DIRECT_REFERENCE);
            signature.setSignatureAlgorithm(ec ? WSConstants.ECDSA_SHA256 : WSConstants.RSA_SHA256);
            signature.setDigestAlgo(WSConstants.SHA256);
            signature.setSigCanonicalization(WSConstants.C14N_EXCL_OMIT_COMMENTS);
            signature.setAddInclusivePrefixes(false);
            signature.getParts().add(new WSEncryptionPart("Timestamp", WSConstants.WSU_NS, "Element"));
            for (QName part : parts) {
                signature.getParts().add(new WSEncryptionPart(part.getLocalPart(), part.getNamespaceURI(), "Element"));
            }
            Merlin crypto = new Merlin();
            crypto.setKeyStore(keyStore);
            signature.build(crypto);
            return envelope;
        } catch (WSSecurityException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("signing failed: " + e.getMessage(), e);
        }
    }

    public static byte[] signedFixture(String fixture, MessageSigner signer) {
        return sign(freshId(SoapHttp.parse(SoapHttp.fixture(fixture))), signer);
    }

    /** The fixture with a fresh message id, signed by {@code businessId}'s sandbox key. */
    public static byte[] signedFixture(String fixture, String businessId) {
        return sign(freshId(SoapHttp.parse(SoapHttp.fixture(fixture))), signerOf(businessId));
    }

    public static Document freshId(Document envelope) {
        var ids = envelope.getElementsByTagNameNS(XRoadHeaders.NS, "id");
        if (ids.getLength() > 0) {
            ((Element) ids.item(0)).setTextContent(UUID.randomUUID().toString());
        }
        return envelope;
    }

    public static byte[] sign(Document envelope, MessageSigner signer) {
        signer.sign(envelope, InboundChain.REQUEST_SIGNED_PARTS, 300);
        return serialise(envelope);
    }

    public static byte[] serialise(Document document) {
        try {
            return ClientKit.serialise(document);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
