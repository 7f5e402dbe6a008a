package fi.kelmu.gateway.payment;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The payment-demand store on H2, the sandbox default: a file database in a temporary folder. */
class PaymentDemandStoreH2Test extends PaymentDemandStoreBehaviour {

    @TempDir
    Path dir;

    @Override
    Target freshDatabase() {
        return new Target("jdbc:h2:file:" + dir.resolve("kelmu-gateway") + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000",
                "kelmu", "");
    }
}
