package fi.kelmu.gateway;

import fi.kelmu.gateway.audit.AccessLogCommand;
import fi.kelmu.gateway.clientkit.ClientKit;
import fi.kelmu.gateway.config.GatewayConfig;
import fi.kelmu.gateway.payment.PaymentDemandCommand;
import fi.kelmu.gateway.registry.MunicipalityReference;
import fi.kelmu.gateway.registry.OrganisationRegistry;
import fi.kelmu.gateway.security.GatewaySecurity;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of {@code java -jar kelmu-gateway.jar}: runs the gateway until the process is stopped;
 * {@code java -jar kelmu-gateway.jar client ...} runs the client kit instead, and
 * {@code java -jar kelmu-gateway.jar access-log query|verify ...} the access-log command;
 * {@code java -jar kelmu-gateway.jar payment-demands year-end-transfer ...} the year-end transfer of payment demands.
 */
public final class GatewayApplication {


    private GatewayApplication() {
    }

    /**
     * The certificates of the gateway's configured signing keys: what {@code access-log verify} trusts checkpoints
     * to be signed with unless given {@code --trust}.
     */
    public static List<X509Certificate> gatewayCertificates(GatewayConfig config) {
        return GatewaySettings.gatewayKeys(config).stream()
                .map(key -> GatewaySecurity.load(key, false, "kelmu.security.gateway-keystore.file").certificate())
                .toList();
    }

    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("access-log") || args[0].equals("client")
                || args[0].equals("payment-demands"))) {
            // before the first logger exists: the tools' standard output is their result alone
            System.setProperty("kelmu.log.target", "System.err");
        }
        Logger log = LoggerFactory.getLogger(GatewayApplication.class);
        if (args.length > 0 && args[0].equals("access-log")) {
            // operators' queries and chain verification of the access log (docs/access-log.md)
            PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
            PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
            System.exit(new AccessLogCommand().run(Arrays.copyOfRange(args, 1, args.length),
                    () -> GatewaySettings.database(GatewayConfig.load(Map.of())),
                    () -> gatewayCertificates(GatewayConfig.load(Map.of())), out, err));
            return;
        }
        if (args.length > 0 && args[0].equals("payment-demands")) {
            // the year-end transfer of payment demands (docs/payment-demands.md)
            PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
            PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
            GatewayConfig config = GatewayConfig.load(Map.of());
            System.exit(new PaymentDemandCommand().run(Arrays.copyOfRange(args, 1, args.length),
                    () -> GatewaySettings.database(config),
                    () -> OrganisationRegistry.load(GatewaySettings.registryFile(config), MunicipalityReference.load()),
                    Clock.systemUTC(), out, err));
            return;
        }
        if (args.length > 0 && args[0].equals("client")) {
            // the client kit's product is its output: the response on standard output, diagnostics on error
            PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
            PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
            System.exit(new ClientKit(out, err, System.getenv()).run(Arrays.copyOfRange(args, 1, args.length)));
            return;
        }
        Gateway gateway;
        try {
            gateway = Launcher.start(GatewayConfig.load(Map.of()));
        } catch (Exception | Error e) {
            log.error("kelmu-gateway failed to start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("kelmu-gateway stopping");
            gateway.close();
            stopped.countDown();
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
