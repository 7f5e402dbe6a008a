package fi.kelmu.gateway.security;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.DSAEncoding;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.jcajce.provider.asymmetric.util.ECUtil;
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
 * it, after a failed look-up and an exception per signature. {@link #provider()} answers the P1363 names itself,
 * in that r||s form ({@link JdkHashedEcdsa}). And BouncyCastle, given the JDK's key object,
 * converts it on every {@code initSign} and derives its precomputation again (about three times the cost of the
 * signature); {@link #prepare} converts the key once, from its PKCS#8 encoding, and that object is signed with.
 *
 * <p>And one cost: BouncyCastle hashes in plain Java, while the JDK's SHA-2 uses the processor's SHA instructions.
 * In the benchmark BouncyCastle's SHA-256 over the canonical SignedInfo was a third of its canonicalisation. The
 * ECDSA names are therefore answered by {@link JdkHashedEcdsa}: the JDK's {@link MessageDigest} hashes, and
 * BouncyCastle's ECDSA signs the hash, encoded as the name asks (r||s or DER); the same signature scheme, verified
 * by the JDK ({@code SigningProviderTest}).
 */
public final class SigningProvider {

    /** The name of {@link #provider()}; not installed in the JVM's list. */
    public static final String NAME = "KelmuXmlSigning";

    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();
    /** JCA signature name asked for (by Santuario) and BouncyCastle's service answering it. */
    private static final Map<String, String> SIGNATURES = Map.ofEntries(
            Map.entry("Ed25519", "Ed25519"),
            Map.entry("Ed448", "Ed448"));
    /** ECDSA names: the JDK's hash for each, and whether the signature is r||s (P1363) rather than DER. */
    private static final Map<String, EcdsaScheme> ECDSA = Map.ofEntries(
            Map.entry("SHA256withECDSAinP1363Format", new EcdsaScheme("SHA-256", true)),
            Map.entry("SHA384withECDSAinP1363Format", new EcdsaScheme("SHA-384", true)),
            Map.entry("SHA512withECDSAinP1363Format", new EcdsaScheme("SHA-512", true)),
            Map.entry("SHA256withECDSA", new EcdsaScheme("SHA-256", false)),
            Map.entry("SHA384withECDSA", new EcdsaScheme("SHA-384", false)),
            Map.entry("SHA512withECDSA", new EcdsaScheme("SHA-512", false)));
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

    /** Answers each name of {@link #SIGNATURES} with BouncyCastle's service, each of {@link #ECDSA} with ours. */
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
            ECDSA.forEach((name, scheme) -> putService(new EcdsaService(this, name, scheme)));
        }
    }

    /** An ECDSA signature's hash (a JDK {@link MessageDigest} name) and its encoding: r||s (P1363) or DER. */
    private record EcdsaScheme(String digest, boolean p1363) {
    }

    private static final class EcdsaService extends Provider.Service {

        private final EcdsaScheme scheme;

        EcdsaService(Provider provider, String name, EcdsaScheme scheme) {
            super(provider, "Signature", name, JdkHashedEcdsa.class.getName(), List.of(), Map.of());
            this.scheme = scheme;
        }

        @Override
        public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
            return new JdkHashedEcdsa(MessageDigest.getInstance(scheme.digest()), scheme.p1363());
        }

        @Override
        public boolean supportsParameter(Object parameter) {
            return parameter instanceof java.security.interfaces.ECPrivateKey;
        }
    }

    /**
     * ECDSA signing with the JDK's hash and BouncyCastle's signature: {@code SHAnnnwithECDSA}, as BouncyCastle's own
     * service signs it (a random k from the given or the default {@link SecureRandom}), encoded as r||s with the
     * order's length ({@code inP1363Format}) or as DER. Signing only: requests are verified by the JDK.
     */
    static final class JdkHashedEcdsa extends SignatureSpi {

        private final MessageDigest digest;
        private final DSAEncoding encoding;
        private ECDSASigner signer;

        JdkHashedEcdsa(MessageDigest digest, boolean p1363) {
            this.digest = digest;
            this.encoding = p1363 ? PlainDSAEncoding.INSTANCE : StandardDSAEncoding.INSTANCE;
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
            engineInitSign(privateKey, null);
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey, SecureRandom random) throws InvalidKeyException {
            ECPrivateKeyParameters key = parameters(privateKey);
            ECDSASigner ecdsa = new ECDSASigner();
            ecdsa.init(true, new ParametersWithRandom(key,
                    random != null ? random : CryptoServicesRegistrar.getSecureRandom()));
            signer = ecdsa;
            digest.reset();
        }

        private static final int KEPT_CONVERSIONS = 4;
        /** The last keys signed with and their conversions, the latest first; replaced whole, never changed. */
        private static volatile Converted[] converted = new Converted[0];

        private record Converted(PrivateKey key, ECPrivateKeyParameters parameters) {
        }

        /**
         * The key's parameters for BouncyCastle's signer, converted once per key object: a conversion builds a new
         * generator point, and BouncyCastle keeps its precomputed multiples of the generator on that point object,
         * so a conversion per signature would compute them again every time (several times the signature's cost).
         * The last few keys signed with are kept; the gateway signs with one or two.
         */
        static ECPrivateKeyParameters parameters(PrivateKey privateKey) throws InvalidKeyException {
            Converted[] known = converted;
            for (Converted entry : known) {
                if (entry.key() == privateKey) {
                    return entry.parameters();
                }
            }
            ECPrivateKeyParameters parameters = (ECPrivateKeyParameters) ECUtil.generatePrivateKeyParameter(privateKey);
            Converted[] more = new Converted[Math.min(known.length + 1, KEPT_CONVERSIONS)];
            more[0] = new Converted(privateKey, parameters);
            System.arraycopy(known, 0, more, 1, more.length - 1);
            converted = more;
            return parameters;
        }

        @Override
        protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
            throw new InvalidKeyException("signing only: the gateway verifies with the JDK's providers");
        }

        @Override
        protected void engineUpdate(byte b) {
            digest.update(b);
        }

        @Override
        protected void engineUpdate(byte[] b, int off, int len) {
            digest.update(b, off, len);
        }

        @Override
        protected byte[] engineSign() throws SignatureException {
            if (signer == null) {
                throw new SignatureException("not initialised for signing");
            }
            BigInteger[] rs = signer.generateSignature(digest.digest());
            try {
                return encoding.encode(signer.getOrder(), rs[0], rs[1]);
            } catch (java.io.IOException e) {
                throw new SignatureException("the signature cannot be encoded", e);
            }
        }

        @Override
        protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
            throw new SignatureException("signing only");
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) {
            throw new InvalidParameterException("no parameters");
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) {
            throw new InvalidParameterException("no parameters");
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
