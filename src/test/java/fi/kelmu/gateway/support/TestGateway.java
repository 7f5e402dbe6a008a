package fi.kelmu.gateway.support;

import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.Launcher;
import fi.kelmu.gateway.config.GatewayConfig;
import fi.kelmu.gateway.sandbox.SandboxPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts a gateway in sandbox mode on a free port, with extra configuration for the test. Every gateway of
 * the test run shares one sandbox PKI in a temporary folder (never the repository's sandbox/).
 */
public final class TestGateway {

    private static Path pkiDir;

    private TestGateway() {
    }

    public static Gateway startSandbox(Map<String, String> extra) throws Exception {
        Map<String, String> overrides = new HashMap<>(extra);
        overrides.put("kelmu.mode", "sandbox");
        overrides.putIfAbsent("kelmu.http.port", Integer.toString(FreePort.find()));
        overrides.putIfAbsent("kelmu.http.host", "127.0.0.1");
        overrides.putIfAbsent("kelmu.security.sandbox-pki.dir", pkiDir().toString());
        // every test gateway its own access log, never the working directory's ./data
        Path data = Files.createTempDirectory("kelmu-test-db");
        overrides.putIfAbsent("kelmu.db.url", "jdbc:h2:file:" + data.resolve("kelmu").toAbsolutePath()
                + ";LOCK_TIMEOUT=10000");
        overrides.putIfAbsent("kelmu.access-log.spool-file", data.resolve("spool.txt").toString());
        overrides.putIfAbsent("kelmu.access-log.journal-file", data.resolve("journal.txt").toString());
        return Launcher.start(GatewayConfig.load(overrides));
    }

    /** The shared test-run sandbox PKI, created with the sandbox registry's organisations. */
    public static synchronized SandboxPki pki() {
        return SandboxPki.ensure(pkiDir(), List.of(
                new SandboxPki.Member(TestData.LANSI_UUSIMAA, "Länsi-Uudenmaan hyvinvointialue (demo)"),
                new SandboxPki.Member(TestData.VANTAA_KERAVA, "Vantaan ja Keravan hyvinvointialue (demo)"),
                new SandboxPki.Member(TestData.PIRKANMAA, "Pirkanmaan hyvinvointialue (demo)"),
                new SandboxPki.Member(TestData.ESPOO, "Espoon kaupunki (demo)"),
                new SandboxPki.Member(TestData.TAMPERE, "Tampereen kaupunki (demo)"),
                new SandboxPki.Member(TestData.HELSINKI, "Helsingin kaupunki (demo)"),
                new SandboxPki.Member(TestData.KESKI_UUSIMAA, "Keski-Uudenmaan sote-kuntayhtymä (demo)"),
                new SandboxPki.Member(TestData.RENEWED_KUNTAYHTYMA, "Kuntayhtymä with a renewed contract (demo)")));
    }

    private static synchronized Path pkiDir() {
        if (pkiDir == null) {
            try {
                pkiDir = Files.createTempDirectory("kelmu-test-pki");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return pkiDir;
    }
}
