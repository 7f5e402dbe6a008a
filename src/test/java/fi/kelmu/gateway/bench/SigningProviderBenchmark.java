package fi.kelmu.gateway.bench;

import fi.kelmu.gateway.security.SigningProvider;
import fi.kelmu.gateway.xml.Dom;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.wss4j.common.WSEncryptionPart;
import org.apache.wss4j.common.crypto.Merlin;
import org.apache.wss4j.common.ext.WSSecurityException;
import org.apache.wss4j.dom.WSConstants;
import org.apache.wss4j.dom.engine.WSSConfig;
import org.apache.wss4j.dom.message.WSSecHeader;
import org.apache.wss4j.dom.message.WSSecSignature;
import org.apache.wss4j.dom.message.WSSecTimestamp;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * What one response signature costs with each provider (issue 12, docs/benchmark.md "Signature providers"): the
 * JCA signature as Santuario makes it (look-up, initSign, update, sign, per signature) over 1 KB, and a whole
 * WS-Security signature of a small SOAP answer (Timestamp and Body, exclusive C14N, SHA-256) as the response
 * signing makes it. JDK against BouncyCastle with the key converted once ({@link SigningProvider#prepare}), and
 * BouncyCastle handed the JDK's key object, which it converts and derives its tables for on every signature.
 * CPU time of the measuring thread per signature, the median of interleaved rounds. Not a test and not in
 * {@code mvn verify} (no surefire include matches the name).
 *
 * <p>Run: {@code mvn -o -q test -Dtest=SigningProviderBenchmark -Dsurefire.failIfNoSpecifiedTests=false}; the
 * table is printed and written to {@code target/benchmark/signing-providers.txt}. Properties:
 * {@code bench.rounds} (5), {@code bench.round.millis} (1500).
 */
class SigningProviderBenchmark {

    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final long ROUND_NANOS = Long.getLong("bench.round.millis", 1500) * 1_000_000L;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    private interface Op {
        void run() throws Exception;
    }

    @Test
    void signatureCostPerProvider() throws Exception {
        byte[] data = new byte[1024];
        Arrays.fill(data, (byte) 'x');
        KeyPair ec = generate("EC", new ECGenParameterSpec("secp256r1"));
        KeyPair ed = generate("Ed25519", null);
        KeyPair rsa = generate("RSA", null);
        PrivateKey ecConverted = SigningProvider.prepare(ec.getPrivate()).key();
        PrivateKey edConverted = SigningProvider.prepare(ed.getPrivate()).key();
        Provider fast = SigningProvider.provider();

        Map<String, Op> ops = new LinkedHashMap<>();
        ops.put("ECDSA P-256, JDK (SunEC, P1363)", () -> sign("SHA256withECDSAinP1363Format", null, ec.getPrivate(), data));
        ops.put("ECDSA P-256, BouncyCastle, key converted once", () -> sign("SHA256withECDSAinP1363Format", fast, ecConverted, data));
        ops.put("ECDSA P-256, BouncyCastle, JDK key object", () -> sign("SHA256withECDSAinP1363Format", fast, ec.getPrivate(), data));
        ops.put("ECDSA P-256, BouncyCastle as such (failed P1363 look-up, DER, converted key)",
                () -> santuarioFallback(ecConverted, data));
        ops.put("Ed25519, JDK (SunEC)", () -> sign("Ed25519", null, ed.getPrivate(), data));
        ops.put("Ed25519, BouncyCastle, key converted once", () -> sign("Ed25519", fast, edConverted, data));
        ops.put("Ed25519, BouncyCastle, JDK key object", () -> sign("Ed25519", fast, ed.getPrivate(), data));
        ops.put("RSA-2048, JDK (SunRsaSign)", () -> sign("SHA256withRSA", null, rsa.getPrivate(), data));
        ops.put("RSA-2048, BouncyCastle, JDK key object", () -> sign("SHA256withRSA", BOUNCY_CASTLE, rsa.getPrivate(), data));

        WSSConfig.init();
        Merlin crypto = crypto(ec);
        Merlin converted = new Merlin() {
            @Override
            public PrivateKey getPrivateKey(String identifier, String password) {
                return ecConverted;
            }
        };
        converted.setKeyStore(crypto.getKeyStore());
        byte[] envelope = envelope();
        ops.put("WS-Security answer signature, JDK (as before)", () -> wsSign(envelope, crypto, null));
        ops.put("WS-Security answer signature, BouncyCastle, key converted once", () -> wsSign(envelope, converted, fast));
        ops.put("WS-Security answer signature, BouncyCastle, JDK key object", () -> wsSign(envelope, crypto, fast));

        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        Map<String, List<Double>> wall = new LinkedHashMap<>();
        for (int round = 0; round <= ROUNDS; round++) {
            for (Map.Entry<String, Op> op : ops.entrySet()) {
                double[] cost = measure(op.getValue());
                if (round > 0) { // round 0 warms up
                    cpu.computeIfAbsent(op.getKey(), k -> new ArrayList<>()).add(cost[0]);
                    wall.computeIfAbsent(op.getKey(), k -> new ArrayList<>()).add(cost[1]);
                }
            }
        }
        StringBuilder table = new StringBuilder();
        table.append(String.format("%s, %s %s, %d cores, %d rounds of %d ms%n", System.getProperty("java.vm.name"),
                System.getProperty("java.version"), System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), ROUNDS, ROUND_NANOS / 1_000_000));
        table.append(String.format("%-85s %12s %12s%n", "per signature", "CPU µs", "wall µs"));
        for (String name : ops.keySet()) {
            table.append(String.format("%-85s %12.1f %12.1f%n", name, median(cpu.get(name)), median(wall.get(name))));
        }
        System.out.print(table);
        Path out = Path.of("target", "benchmark", "signing-providers.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table.toString());
    }

    /** CPU and wall µs per operation over one round. */
    private static double[] measure(Op op) throws Exception {
        long count = 0;
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long now = start;
        while (now - start < ROUND_NANOS) {
            for (int i = 0; i < 20; i++) {
                op.run();
            }
            count += 20;
            now = System.nanoTime();
        }
        long cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
        return new double[] {cpu / 1000.0 / count, (now - start) / 1000.0 / count};
    }

    private static byte[] sign(String algorithm, Provider provider, PrivateKey key, byte[] data) throws Exception {
        Signature signature = provider == null ? Signature.getInstance(algorithm) : Signature.getInstance(algorithm, provider);
        signature.initSign(key);
        signature.update(data);
        return signature.sign();
    }

    /** What Santuario does with a provider that lacks the P1363 name: fails the look-up, signs DER, converts. */
    private static byte[] santuarioFallback(PrivateKey key, byte[] data) throws Exception {
        Signature signature;
        try {
            signature = Signature.getInstance("SHA256withECDSAinP1363Format", BOUNCY_CASTLE);
        } catch (java.security.NoSuchAlgorithmException e) {
            signature = Signature.getInstance("SHA256withECDSA", BOUNCY_CASTLE);
        }
        signature.initSign(key);
        signature.update(data);
        return org.apache.xml.security.algorithms.implementations.SignatureECDSA.convertASN1toXMLDSIG(signature.sign(), 32);
    }

    private static void wsSign(byte[] envelope, Merlin crypto, Provider provider) throws Exception {
        Document document = parse(envelope);
        WSSecHeader header = new WSSecHeader(document);
        header.insertSecurityHeader();
        WSSecTimestamp timestamp = new WSSecTimestamp(header);
        timestamp.setTimeToLive(300);
        timestamp.build();
        WSSecSignature signature = new WSSecSignature(header);
        signature.setSignatureProvider(provider);
        signature.setUserInfo("key", "bench");
        signature.setKeyIdentifierType(WSConstants.BST_DIRECT_REFERENCE);
        signature.setSignatureAlgorithm(WSConstants.ECDSA_SHA256);
        signature.setDigestAlgo(WSConstants.SHA256);
        signature.setSigCanonicalization(WSConstants.C14N_EXCL_OMIT_COMMENTS);
        signature.setAddInclusivePrefixes(false);
        signature.getParts().add(new WSEncryptionPart("Body", WSConstants.URI_SOAP11_ENV, "Element"));
        signature.getParts().add(new WSEncryptionPart("Timestamp", WSConstants.WSU_NS, "Element"));
        try {
            signature.build(crypto);
        } catch (WSSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] envelope() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            body.append("<b:payment><b:month>2026-").append(String.format("%02d", i + 1))
                    .append("</b:month><b:amount>612.50</b:amount><b:benefit>BASIC_SOCIAL_ASSISTANCE</b:benefit></b:payment>");
        }
        return ("<soap:Envelope xmlns:soap=\"" + Dom.SOAP_NS + "\"><soap:Header/><soap:Body>"
                + "<b:getBenefitDataResponse xmlns:b=\"urn:bench\"><b:clientId>010101-123N</b:clientId>" + body
                + "</b:getBenefitDataResponse></soap:Body></soap:Envelope>").getBytes(StandardCharsets.UTF_8);
    }

    private static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    private static KeyPair generate(String algorithm, ECGenParameterSpec spec) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (spec != null) {
            generator.initialize(spec);
        } else if ("RSA".equals(algorithm)) {
            generator.initialize(2048);
        }
        return generator.generateKeyPair();
    }

    /** A PKCS#12 store holding the EC key under "key" with a self-signed certificate, as the gateway's is read. */
    private static Merlin crypto(KeyPair ec) throws Exception {
        X500Name name = new X500Name("CN=bench");
        Date now = new Date();
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                name, BigInteger.ONE, now, new Date(now.getTime() + 86_400_000L), name, ec.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(ec.getPrivate())));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("key", ec.getPrivate(), "bench".toCharArray(), new Certificate[] {certificate});
        Merlin crypto = new Merlin();
        crypto.setKeyStore(store);
        return crypto;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }
}
