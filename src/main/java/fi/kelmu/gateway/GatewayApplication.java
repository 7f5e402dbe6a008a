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
import java.util.concurrent.atomic.AtomicReference;
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
        // the stop is in place before the start: a signal while the gateway starts (its WSDL may already answer) must
        // not find nothing to stop it
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicReference<Gateway> started = new AtomicReference<>();
        Runnable stop = new Runnable() {
            private boolean done;

            @Override
            public synchronized void run() {
                if (!done) {
                    done = true;
                    log.info("kelmu-gateway stopping");
                    Gateway gateway = started.get();
                    if (gateway != null) {
                        gateway.close();
                    }
                    stopped.countDown();
                }
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "shutdown"));
        stopBeforeExitOn(stop, "TERM", "INT");
        try {
            started.set(Launcher.start(GatewayConfig.load(Map.of())));
        } catch (Exception | Error e) {
            log.error("kelmu-gateway failed to start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * On these signals the gateway stops first and the JVM exits after: shutdown hooks run in no set order, and H2's
     * own hook (an H2 URL with {@code AUTO_SERVER} cannot switch it off) closed the database under the gateway's
     * shutdown, so its last checkpoint was not written, its journal not emptied, and H2's lock file stayed behind,
     * which made the next start wait about 3.5 s for it. The shutdown hook still stops the gateway on any other exit.
     */
    private static void stopBeforeExitOn(Runnable stop, String... signals) {
        // sun.misc.Signal (module jdk.unsupported; the JDK has no supported signal API), reached by reflection since
        // javac warns of any direct use and the build treats warnings as errors
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object handler = java.lang.reflect.Proxy.newProxyInstance(GatewayApplication.class.getClassLoader(),
                    new Class<?>[] {handlerClass}, (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            new Thread(() -> {
                                stop.run();
                                System.exit(0);
                            }, "shutdown-signal").start();
                            return null;
                        }
                        return switch (method.getName()) {
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> "stop-before-exit";
                        };
                    });
            for (String name : signals) {
                try {
                    Object signal = signalClass.getConstructor(String.class).newInstance(name);
                    signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
                } catch (ReflectiveOperationException | IllegalArgumentException e) {
                    LoggerFactory.getLogger(GatewayApplication.class).debug(
                            "signal {} not handled here ({}); the shutdown hook stops the gateway", name, e.toString());
                }
            }
        } catch (ReflectiveOperationException e) {
            LoggerFactory.getLogger(GatewayApplication.class).debug(
                    "no signal handling in this JVM ({}); the shutdown hook stops the gateway", e.toString());
        }
    }
}
