package fi.kelmu.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.config.GatewayConfig;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the gateway's H2 database exposes besides the access log (issue 10 items 9 and 11): the server AUTO_SERVER
 * starts for the {@code access-log} command listens on loopback only, and H2 writes no trace file of its own (a
 * database that could not be written once filled it with 108 MB in 80 seconds).
 */
class H2DefaultsTest {

    @Test
    void theAutoServerListensOnLoopbackOnly(@TempDir Path dir) throws Exception {
        try (Database database = Database.open("jdbc:h2:file:" + dir.resolve("log").toAbsolutePath()
                + ";AUTO_SERVER=TRUE", "kelmu", "")) {
            try (Connection c = database.dataSource().getConnection()) {
                assertTrue(c.isValid(1));
            }
            Properties lock = new Properties();
            try (Reader in = Files.newBufferedReader(dir.resolve("log.lock.db"))) {
                lock.load(in);
            }
            String server = lock.getProperty("server");
            String host = server.substring(0, server.lastIndexOf(':'));
            int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
            assertTrue(InetAddress.getByName(host).isLoopbackAddress(), "the H2 server is announced at " + server);
            try (Socket loopback = new Socket()) {
                loopback.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            }
            for (InetAddress address : nonLoopbackAddresses()) {
                try (Socket other = new Socket()) {
                    assertThrows(IOException.class, () -> other.connect(new InetSocketAddress(address, port), 2000),
                            "the H2 server answers on " + address);
                }
            }
        }
    }

    @Test
    void anH2UrlWithoutItsOwnTraceLevelGetsNoTraceFile(@TempDir Path dir) throws Exception {
        try (Database database = Database.open("jdbc:h2:file:" + dir.resolve("log").toAbsolutePath(), "kelmu", "")) {
            try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
                // an error H2 traces to log.trace.db at its default level
                assertThrows(SQLException.class, () -> s.executeQuery("SELECT nothing FROM nowhere"));
            }
        }
        assertTrue(Files.exists(dir.resolve("log.mv.db")));
        assertFalse(Files.exists(dir.resolve("log.trace.db")), "H2 wrote a trace file");
    }

    @Test
    void theSandboxDefaultUrlSetsNoTraceFileAndAnOwnTraceLevelIsKept() {
        String sandbox = GatewayConfig.load(Map.of("kelmu.mode", "sandbox")).get("kelmu.db.url");
        assertTrue(sandbox.contains(";TRACE_LEVEL_FILE=0"), sandbox);
        assertEquals(sandbox, Database.withH2Defaults(sandbox));
        assertEquals("jdbc:h2:file:./x;trace_level_file=2", Database.withH2Defaults("jdbc:h2:file:./x;trace_level_file=2"));
        assertEquals("jdbc:h2:file:./x;TRACE_LEVEL_FILE=0", Database.withH2Defaults("jdbc:h2:file:./x"));
        assertEquals("jdbc:postgresql://db/kelmu", Database.withH2Defaults("jdbc:postgresql://db/kelmu"));
    }

    private static List<InetAddress> nonLoopbackAddresses() throws IOException {
        return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (IOException e) {
                        return false;
                    }
                })
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> !a.isLinkLocalAddress())
                .toList();
    }
}
