package fi.kelmu.gateway.security;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.Map;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The JCA provider and key object the gateway's own XML signatures are made with (docs/security.md, "Which
 * provider signs"). ECDSA and EdDSA are signed by BouncyCastle, about six times faster than the JDK's ECDSA P-256
 * on the benchmark machine; RSA stays with the JDK's providers, which are as fast. Nothing is installed in the
 * JVM's provider list: BouncyCastle is reached only through {@link #provider()}, passed per signature to
 * Santuario, so every other JCA user (TLS, verification of requests, the access log) is unchanged.
 *
 * <p>Two traps, both handled here. Santuario's JSR-105 signer asks the provider for
 * {@code SHA256withECDSAinP1363Format}, which BouncyCastle does not register: it then falls back to DER and converts
 * it, after a failed look-up and an exception per signature. {@link #provider()} answers the P1363 names with
 * BouncyCastle's {@code SHA256withPLAIN-ECDSA}, the same r||s form. And BouncyCastle, given the JDK's key object,
 * converts it on every {@code initSign} and derives its precomputation again (about three times the cost of the
 * signature); {@link #prepare} converts the key once, from its PKCS#8 encoding, and that object is signed with.
 */
public final class SigningProvider {

    /** The name of {@link #provider()}; not installed in the JVM's list. */
    public static final String NAME = "KelmuXmlSigning";

    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();
    /** JCA signature name asked for (by Santuario) and BouncyCastle's service answering it. */
    private static final Map<String, String> SIGNATURES = Map.ofEntries(
            Map.entry("SHA256withECDSAinP1363Format", "SHA256withPLAIN-ECDSA"),
            Map.entry("SHA384withECDSAinP1363Format", "SHA384withPLAIN-ECDSA"),
            Map.entry("SHA512withECDSAinP1363Format", "SHA512withPLAIN-ECDSA"),
            Map.entry("SHA256withECDSA", "SHA256withECDSA"),
            Map.entry("SHA384withECDSA", "SHA384withECDSA"),
            Map.entry("SHA512withECDSA", "SHA512withECDSA"),
            Map.entry("Ed25519", "Ed25519"),
            Map.entry("Ed448", "Ed448"));
    private static final Provider PROVIDER = new Forwarding();

    /** A private key as it is signed with, and the provider to sign it with ({@code null}: the JVM's default). */
    public record PreparedKey(PrivateKey key, Provider provider) {
    }

    private SigningProvider() {
    }

    /** The signature services of BouncyCastle under the names Santuario asks for; not in the JVM's list. */
    public static Provider provider() {
        return PROVIDER;
    }

    /**
     * The key to sign with and its provider: an EC or EdDSA key converted once into BouncyCastle's own key object
     * (from its PKCS#8 encoding) with {@link #provider()}; any other key (RSA) as it is, with the default providers.
     */
    public static PreparedKey prepare(PrivateKey key) {
        String keyFactory = switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "EC";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA"; // the JDK names both curves' keys EdDSA
            default -> null;
        };
        if (keyFactory == null || key.getEncoded() == null) {
            return new PreparedKey(key, null);
        }
        try {
            PrivateKey converted = KeyFactory.getInstance(keyFactory, BOUNCY_CASTLE)
                    .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
            return new PreparedKey(converted, PROVIDER);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the " + key.getAlgorithm() + " signing key cannot be read by "
                    + BOUNCY_CASTLE.getName() + ": " + e.getMessage(), e);
        }
    }

    /** Answers each name of {@link #SIGNATURES} with BouncyCastle's service; nothing else. */
    private static final class Forwarding extends Provider {

        private static final long serialVersionUID = 1L;

        Forwarding() {
            super(NAME, "1.0", "BouncyCastle's signatures under the JCA names XML signature asks for");
            SIGNATURES.forEach((name, target) -> {
                Service service = BOUNCY_CASTLE.getService("Signature", target);
                if (service == null) {
                    throw new IllegalStateException(BOUNCY_CASTLE.getName() + " has no signature " + target);
                }
                putService(new ForwardingService(this, name, service));
            });
        }
    }

    private static final class ForwardingService extends Provider.Service {

        private final Provider.Service target;

        ForwardingService(Provider provider, String name, Provider.Service target) {
            super(provider, "Signature", name, target.getClassName(), List.of(), Map.of());
            this.target = target;
        }

        @Override
        public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
            return target.newInstance(constructorParameter);
        }

        @Override
        public boolean supportsParameter(Object parameter) {
            return target.supportsParameter(parameter);
        }
    }
}
