package fi.kelmu.gateway;

import fi.kelmu.gateway.config.GatewayConfig;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of {@code java -jar kelmu-gateway.jar}: runs the gateway until the process is stopped. */
public final class GatewayApplication {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayApplication.class);

    private GatewayApplication() {
    }

    public static void main(String[] args) {
        Gateway gateway;
        try {
            gateway = Gateway.start(GatewayConfig.load(Map.of()));
        } catch (Exception | Error e) {
            LOG.error("kelmu-gateway failed to start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("kelmu-gateway stopping");
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
