package fi.kelmu.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

/**
 * Keys are prepared for signing once: EC and EdDSA keys become BouncyCastle's key objects, signed with through
 * {@link SigningProvider#provider()}, and what that signs the JDK verifies; an RSA key is left to the JDK.
 */
class SigningProviderTest {

    private static final byte[] DATA = "signed info".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @Test
    void anEcKeyIsSignedByBouncyCastleInP1363FormAndTheJdkVerifiesIt() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();

        SigningProvider.PreparedKey prepared = SigningProvider.prepare(pair.getPrivate());

        assertTrue(prepared.key().getClass().getName().startsWith("org.bouncycastle."), prepared.key().getClass().getName());
        byte[] value = sign("SHA256withECDSAinP1363Format", prepared);
        assertEquals(64, value.length);
        assertTrue(verify("SHA256withECDSAinP1363Format", pair, value));
        assertTrue(verify("SHA256withECDSA", pair, sign("SHA256withECDSA", prepared)), "DER under the DER name");
    }

    /**
     * Each ECDSA name, on each NIST curve, over data hashed in pieces (more than one hash block): the JDK verifies
     * what the provider signed (the JDK hashes, BouncyCastle signs the hash), and refuses it over other data.
     */
    @Test
    void everyEcdsaNameSignsWhatTheJdkVerifiesAndNothingElse() throws Exception {
        byte[] data = new byte[5_000];
        new java.util.Random(7).nextBytes(data);
        String[][] curves = {{"secp256r1", "64"}, {"secp384r1", "96"}, {"secp521r1", "132"}};
        for (String[] curve : curves) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve[0]));
            KeyPair pair = generator.generateKeyPair();
            SigningProvider.PreparedKey prepared = SigningProvider.prepare(pair.getPrivate());
            for (String hash : new String[] {"SHA256", "SHA384", "SHA512"}) {
                for (String name : new String[] {hash + "withECDSAinP1363Format", hash + "withECDSA"}) {
                    Signature signer = Signature.getInstance(name, prepared.provider());
                    signer.initSign(prepared.key());
                    signer.update(data, 0, 1);
                    signer.update(data[1]);
                    signer.update(data, 2, data.length - 2);
                    byte[] value = signer.sign();
                    if (name.endsWith("P1363Format")) {
                        assertEquals(Integer.parseInt(curve[1]), value.length, name + " on " + curve[0]);
                    }
                    Signature jdk = Signature.getInstance(name);
                    jdk.initVerify(pair.getPublic());
                    jdk.update(data);
                    assertTrue(jdk.verify(value), name + " on " + curve[0]);
                    data[100] ^= 1;
                    jdk.initVerify(pair.getPublic());
                    jdk.update(data);
                    assertFalse(jdk.verify(value), "tampered data, " + name + " on " + curve[0]);
                    data[100] ^= 1;
                }
            }
        }
    }

    /**
     * A key is converted for BouncyCastle's signer once: its generator point stays the same object from signature to
     * signature, which is where BouncyCastle keeps the precomputed multiples (a conversion per signature computed
     * them again every time, and made signing four times slower in the benchmark's profile).
     */
    @Test
    void aKeyIsConvertedForTheSignerOnceAndKeepsItsPrecomputation() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        SigningProvider.PreparedKey first = SigningProvider.prepare(generator.generateKeyPair().getPrivate());
        SigningProvider.PreparedKey second = SigningProvider.prepare(generator.generateKeyPair().getPrivate());

        var parameters = SigningProvider.JdkHashedEcdsa.parameters(first.key());
        sign("SHA256withECDSAinP1363Format", first);
        sign("SHA256withECDSAinP1363Format", second);

        assertSame(parameters, SigningProvider.JdkHashedEcdsa.parameters(first.key()));
        assertSame(parameters.getParameters().getG(),
                SigningProvider.JdkHashedEcdsa.parameters(first.key()).getParameters().getG());
        assertTrue(parameters.getD().equals(((java.security.interfaces.ECPrivateKey) first.key()).getS()));
    }

    @Test
    void edDsaKeysOfBothCurvesAreSignedByBouncyCastleAndTheJdkVerifiesThem() throws Exception {
        for (String curve : new String[] {"Ed25519", "Ed448"}) {
            KeyPair pair = KeyPairGenerator.getInstance(curve).generateKeyPair();

            SigningProvider.PreparedKey prepared = SigningProvider.prepare(pair.getPrivate());

            assertTrue(prepared.key().getClass().getName().startsWith("org.bouncycastle."), curve);
            assertSame(SigningProvider.provider(), prepared.provider());
            assertTrue(verify(curve, pair, sign(curve, prepared)), curve);
        }
    }

    @Test
    void anRsaKeyIsLeftToTheJdk() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();

        SigningProvider.PreparedKey prepared = SigningProvider.prepare(pair.getPrivate());

        assertSame(pair.getPrivate(), prepared.key());
        assertNull(prepared.provider(), "the JVM's default providers");
        assertThrows(NoSuchAlgorithmException.class, () -> Signature.getInstance("SHA256withRSA", SigningProvider.provider()),
                "the provider offers nothing but the ECDSA and EdDSA names");
    }

    private static byte[] sign(String algorithm, SigningProvider.PreparedKey prepared) throws Exception {
        Signature signature = Signature.getInstance(algorithm, prepared.provider());
        signature.initSign(prepared.key());
        signature.update(DATA);
        return signature.sign();
    }

    private static boolean verify(String algorithm, KeyPair pair, byte[] value) throws Exception {
        Signature jdk = Signature.getInstance(algorithm);
        jdk.initVerify(pair.getPublic());
        jdk.update(DATA);
        assertTrue(jdk.getProvider().getName().startsWith("Sun"), jdk.getProvider().getName());
        return jdk.verify(value);
    }
}
