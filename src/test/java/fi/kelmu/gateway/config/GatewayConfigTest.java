package fi.kelmu.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Layered configuration: application.properties, application-&lt;mode&gt;.properties, kelmu.config.file,
 * environment, system properties, overrides. Every test passes its own environment and system
 * properties so the machine running the build cannot leak into the result.
 */
class GatewayConfigTest {

    private static final Map<String, String> NO_ENV = Map.of();

    private static GatewayConfig load(Map<String, String> overrides) {
        return GatewayConfig.load(overrides, NO_ENV, new Properties());
    }

    private static Properties system(String key, String value) {
        Properties p = new Properties();
        p.setProperty(key, value);
        return p;
    }

    private static String classpathText(String name) throws IOException {
        try (InputStream in = GatewayConfigTest.class.getClassLoader().getResourceAsStream(name)) {
            assertNotNull(in, name + " is on the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Nested
    @DisplayName("defaults and modes")
    class Defaults {

        @Test
        @DisplayName("defaults come from application.properties")
        void defaultsComeFromApplicationProperties() {
            GatewayConfig config = load(Map.of());
            assertEquals(8080, config.integer("kelmu.http.port"));
            assertEquals("0.0.0.0", config.get("kelmu.http.host"));
            assertEquals(1048576, config.integer("kelmu.request.max-bytes"));
            assertEquals("0246246-0", config.get("kelmu.xroad.member-code"));
            assertEquals("classpath:policy/kelmu-policy.xml", config.get("kelmu.policy.file"));
            assertEquals(Duration.ofMillis(5000), config.millis("kelmu.backend.hva.read-timeout-ms"));
            assertEquals("routes", config.get("kelmu.routes.directory"));
        }

        @Test
        @DisplayName("the sandbox profile applies by default: simulator on, demo registry, backends follow the simulator")
        void sandboxProfileAppliesByDefault() {
            GatewayConfig config = load(Map.of());
            assertTrue(config.isSandbox());
            assertEquals("sandbox", config.get("kelmu.mode"));
            assertTrue(config.bool("kelmu.simulator.enabled"));
            assertEquals("classpath:registry/organisations-sandbox.xml", config.get("kelmu.registry.file"));
        }

        @Test
        @DisplayName("production mode turns the simulator off and assumes no registry or backend URL")
        void productionModeTurnsTheSimulatorOff() {
            GatewayConfig config = GatewayConfig.load(Map.of(), Map.of("KELMU_MODE", "production"), new Properties());
            assertFalse(config.isSandbox());
            assertEquals("production", config.get("kelmu.mode"));
            assertFalse(config.bool("kelmu.simulator.enabled"));
            assertNull(config.get("kelmu.registry.file"));
            assertNull(config.get("kelmu.backend.hva.base-url"));
            assertNull(config.get("kelmu.backend.kunta.base-url"));
            assertNull(config.get("kelmu.backend.helsinki.base-url"));
        }

        @Test
        @DisplayName("R-MAND-4: production bounds how long a revoked mandate still works to 5 minutes")
        void productionBoundsARevokedMandatesLifeToFiveMinutesR_MAND_4() {
            GatewayConfig config = GatewayConfig.load(Map.of(), Map.of("KELMU_MODE", "production"), new Properties());
            assertTrue(config.integer("kelmu.mandate.assertion.max-lifetime-seconds") <= 300,
                    "a MandateAssertion issued before the revocation");
            assertTrue(config.integer("kelmu.mandate.cache-seconds") <= 300, "a cached online answer");
            // the sandbox keeps the working-day assertions of its demos
            GatewayConfig sandbox = GatewayConfig.load(Map.of(), Map.of(), new Properties());
            assertEquals(28800, sandbox.integer("kelmu.mandate.assertion.max-lifetime-seconds"));
        }

        @ParameterizedTest(name = "\"{0}\"")
        @DisplayName("a mode other than sandbox or production is refused at load")
        @ValueSource(strings = {"staging", "Production", "SANDBOX", "", " sandbox"})
        void unknownModeIsRefused(String mode) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> load(Map.of("kelmu.mode", mode)));
            assertTrue(e.getMessage().contains("kelmu.mode"), e.getMessage());
        }

        @Test
        @DisplayName("an unknown mode from the environment is refused too")
        void unknownModeFromEnvironmentIsRefused() {
            assertThrows(IllegalStateException.class,
                    () -> GatewayConfig.load(Map.of(), Map.of("KELMU_MODE", "test"), new Properties()));
        }
    }

    @Nested
    @DisplayName("layers")
    class Layers {

        @Test
        @DisplayName("environment KELMU_HTTP_PORT overrides kelmu.http.port")
        void environmentOverridesTheDefault() {
            GatewayConfig config = GatewayConfig.load(Map.of(), Map.of("KELMU_HTTP_PORT", "9090"), new Properties());
            assertEquals(9090, config.integer("kelmu.http.port"));
        }

        @Test
        @DisplayName("environment names map dots and dashes to underscores")
        void environmentNamesMapDotsAndDashes() {
            assertEquals("KELMU_HTTP_PORT", GatewayConfig.envName("kelmu.http.port"));
            assertEquals("KELMU_BACKEND_HVA_READ_TIMEOUT_MS", GatewayConfig.envName("kelmu.backend.hva.read-timeout-ms"));
            GatewayConfig config = GatewayConfig.load(Map.of(),
                    Map.of("KELMU_BACKEND_HVA_READ_TIMEOUT_MS", "1234"), new Properties());
            assertEquals(1234, config.integer("kelmu.backend.hva.read-timeout-ms"));
        }

        @Test
        @DisplayName("a Java system property overrides the environment")
        void systemPropertyOverridesEnvironment() {
            GatewayConfig config = GatewayConfig.load(Map.of(), Map.of("KELMU_HTTP_PORT", "9090"),
                    system("kelmu.http.port", "9191"));
            assertEquals(9191, config.integer("kelmu.http.port"));
        }

        @Test
        @DisplayName("overrides given in code win over system properties and environment")
        void overridesWin() {
            GatewayConfig config = GatewayConfig.load(Map.of("kelmu.http.port", "9292"),
                    Map.of("KELMU_HTTP_PORT", "9090"), system("kelmu.http.port", "9191"));
            assertEquals(9292, config.integer("kelmu.http.port"));
        }

        @Test
        @DisplayName("the mode is chosen by the same layering: system property over environment, override over both")
        void modeFollowsTheLayers() {
            Map<String, String> env = Map.of("KELMU_MODE", "production");
            assertFalse(GatewayConfig.load(Map.of(), env, new Properties()).isSandbox());
            assertTrue(GatewayConfig.load(Map.of(), env, system("kelmu.mode", "sandbox")).isSandbox());
            assertFalse(GatewayConfig.load(Map.of("kelmu.mode", "production"), Map.of(),
                    system("kelmu.mode", "sandbox")).isSandbox());
        }

        @Test
        @DisplayName("a file named by kelmu.config.file is layered over the mode profile and under the environment")
        void configFileIsLayered(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("site.properties");
            Files.writeString(file, String.join("\n",
                    "# site configuration",
                    "kelmu.http.port=7070",
                    "kelmu.simulator.enabled=false",
                    "kelmu.backend.hva.read-timeout-ms=7000",
                    "kelmu.site.only=from-file",
                    ""), StandardCharsets.UTF_8);

            GatewayConfig config = load(Map.of("kelmu.config.file", file.toString()));
            assertEquals(7070, config.integer("kelmu.http.port"));
            assertFalse(config.bool("kelmu.simulator.enabled"), "the file wins over the sandbox profile");
            assertEquals(7000, config.integer("kelmu.backend.hva.read-timeout-ms"));
            assertEquals("from-file", config.get("kelmu.site.only"));
            assertEquals(5000, config.integer("kelmu.backend.kunta.read-timeout-ms"), "untouched defaults stay");

            GatewayConfig withEnv = GatewayConfig.load(Map.of("kelmu.config.file", file.toString()),
                    Map.of("KELMU_HTTP_PORT", "6060", "KELMU_SITE_ONLY", "from-env"), new Properties());
            assertEquals(6060, withEnv.integer("kelmu.http.port"), "the environment wins over the file");
            assertEquals("from-env", withEnv.get("kelmu.site.only"));
        }

        @Test
        @DisplayName("kelmu.config.file can be named by the environment variable KELMU_CONFIG_FILE")
        void configFileFromEnvironment(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("site.properties");
            Files.writeString(file, "kelmu.http.host=127.0.0.1\n", StandardCharsets.UTF_8);
            GatewayConfig config = GatewayConfig.load(Map.of(), Map.of("KELMU_CONFIG_FILE", file.toString()),
                    new Properties());
            assertEquals("127.0.0.1", config.get("kelmu.http.host"));
        }

        @Test
        @DisplayName("a kelmu.config.file can set production mode itself, and the production profile applies")
        void configFileCanSetProductionMode(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("site.properties");
            Files.writeString(file, "kelmu.mode=production\n", StandardCharsets.UTF_8);
            GatewayConfig config = GatewayConfig.load(Map.of(), Map.of("KELMU_CONFIG_FILE", file.toString()),
                    new Properties());
            assertEquals("production", config.get("kelmu.mode"));
            assertFalse(config.isSandbox());
            assertEquals("false", config.get("kelmu.simulator.enabled"));
        }

        @Test
        @DisplayName("a kelmu.config.file that does not exist is refused at load, naming the file")
        void missingConfigFileIsRefused(@TempDir Path dir) {
            Path missing = dir.resolve("nope.properties");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> load(Map.of("kelmu.config.file", missing.toString())));
            assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        }

        @Test
        @DisplayName("with(key, value) gives a changed copy and leaves the original as it was")
        void withGivesAChangedCopy() {
            GatewayConfig original = load(Map.of());
            GatewayConfig changed = original.with("kelmu.http.port", "1111");
            assertEquals(1111, changed.integer("kelmu.http.port"));
            assertEquals(8080, original.integer("kelmu.http.port"));
        }
    }

    @Nested
    @DisplayName("placeholders")
    class Placeholders {

        @Test
        @DisplayName("in sandbox mode the backend base URLs follow kelmu.simulator.url through ${...}")
        void backendUrlsFollowTheSimulatorUrl() {
            GatewayConfig config = load(Map.of("kelmu.simulator.url", "http://127.0.0.1:4711/backend"));
            assertEquals("http://127.0.0.1:4711/backend", config.get("kelmu.backend.hva.base-url"));
            assertEquals("http://127.0.0.1:4711/backend", config.get("kelmu.backend.kunta.base-url"));
            assertEquals("http://127.0.0.1:4711/backend", config.get("kelmu.backend.helsinki.base-url"));
        }

        @Test
        @DisplayName("placeholders are resolved when read, so a simulator URL set later with with() is followed")
        void placeholdersResolveWhenRead() {
            GatewayConfig config = load(Map.of());
            assertNull(config.get("kelmu.backend.hva.base-url"), "empty until the simulator has started");
            GatewayConfig started = config.with("kelmu.simulator.url", "http://127.0.0.1:5000");
            assertEquals("http://127.0.0.1:5000", started.get("kelmu.backend.hva.base-url"));
            assertEquals("http://127.0.0.1:5000", started.toProperties().getProperty("kelmu.backend.hva.base-url"));
        }

        @Test
        @DisplayName("placeholders nest and may be embedded in a longer value")
        void placeholdersNest() {
            GatewayConfig config = load(Map.of(
                    "kelmu.test.host", "backend.example",
                    "kelmu.test.base", "https://${kelmu.test.host}:8443",
                    "kelmu.test.url", "${kelmu.test.base}/v1"));
            assertEquals("https://backend.example:8443/v1", config.get("kelmu.test.url"));
        }

        @Test
        @DisplayName("a placeholder naming an unset property is refused when read")
        void placeholderToUnsetPropertyIsRefused() {
            GatewayConfig config = load(Map.of("kelmu.test.url", "${kelmu.test.nowhere}/x"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> config.get("kelmu.test.url"));
            assertTrue(e.getMessage().contains("kelmu.test.nowhere"), e.getMessage());
        }

        @Test
        @DisplayName("a placeholder cycle is refused instead of looping forever")
        void placeholderCycleIsRefused() {
            GatewayConfig config = load(Map.of("kelmu.test.a", "${kelmu.test.b}", "kelmu.test.b", "${kelmu.test.a}"));
            assertThrows(IllegalStateException.class, () -> config.get("kelmu.test.a"));
        }
    }

    @Nested
    @DisplayName("typed access")
    class TypedAccess {

        @Test
        @DisplayName("required() on an unset property throws with the property and its environment variable name")
        void requiredOnUnsetPropertyNamesTheEnvironmentVariable() {
            GatewayConfig config = load(Map.of());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> config.required("kelmu.no.such-property"));
            assertTrue(e.getMessage().contains("kelmu.no.such-property"), e.getMessage());
            assertTrue(e.getMessage().contains("KELMU_NO_SUCH_PROPERTY"), e.getMessage());
        }

        @Test
        @DisplayName("required() treats an empty value as unset (production: kelmu.registry.file must be configured)")
        void requiredTreatsEmptyAsUnset() {
            GatewayConfig config = GatewayConfig.load(Map.of(), Map.of("KELMU_MODE", "production"), new Properties());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> config.required("kelmu.registry.file"));
            assertTrue(e.getMessage().contains("KELMU_REGISTRY_FILE"), e.getMessage());
            assertNull(load(Map.of("kelmu.test.blank", "   ")).get("kelmu.test.blank"));
        }

        @Test
        @DisplayName("values are stripped of surrounding blanks when read")
        void valuesAreStripped() {
            assertEquals(9000, load(Map.of("kelmu.http.port", " 9000 ")).integer("kelmu.http.port"));
        }

        @Test
        @DisplayName("integer() refuses a value that is not a whole number, naming the property")
        void integerRefusesNonNumbers() {
            GatewayConfig config = load(Map.of("kelmu.http.port", "eighty"));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> config.integer("kelmu.http.port"));
            assertTrue(e.getMessage().contains("kelmu.http.port"), e.getMessage());
        }

        @ParameterizedTest(name = "\"{0}\"")
        @DisplayName("bool() accepts only true or false")
        @ValueSource(strings = {"yes", "TRUE", "1", "on"})
        void boolAcceptsOnlyTrueOrFalse(String value) {
            GatewayConfig config = load(Map.of("kelmu.simulator.enabled", value));
            assertThrows(IllegalStateException.class, () -> config.bool("kelmu.simulator.enabled"));
        }
    }

    @Nested
    @DisplayName("documentation of application.properties")
    class Documentation {

        private static boolean isProperty(String line) {
            String t = line.strip();
            return !t.isEmpty() && !t.startsWith("#") && !t.startsWith("!");
        }

        private static boolean isComment(String line) {
            String t = line.strip();
            return t.startsWith("#") && t.length() > 1;
        }

        private static String keyOf(String line) throws IOException {
            Properties p = new Properties();
            p.load(new StringReader(line));
            return p.stringPropertyNames().iterator().next();
        }

        @Test
        @DisplayName("every property key in application.properties is preceded by a comment line (directly, or"
                + " heading the run of properties it belongs to)")
        void everyPropertyIsDocumentedByAComment() throws IOException {
            List<String> lines = new BufferedReader(new StringReader(classpathText("application.properties")))
                    .lines().toList();
            List<String> undocumented = new ArrayList<>();
            int properties = 0;
            for (int i = 0; i < lines.size(); i++) {
                if (!isProperty(lines.get(i))) {
                    continue;
                }
                properties++;
                int j = i - 1;
                while (j >= 0 && isProperty(lines.get(j))) {
                    j--;
                }
                if (j < 0 || !isComment(lines.get(j))) {
                    undocumented.add((i + 1) + ": " + keyOf(lines.get(i)));
                }
            }
            assertTrue(properties > 30, "application.properties lists the properties (found " + properties + ")");
            assertTrue(undocumented.isEmpty(), "properties without a comment above them: " + undocumented);
        }

        @Test
        @DisplayName("no key is defined twice in application.properties")
        void noKeyIsDefinedTwice() throws IOException {
            Set<String> seen = new LinkedHashSet<>();
            List<String> twice = new ArrayList<>();
            for (String line : classpathText("application.properties").split("\\R")) {
                if (isProperty(line) && !seen.add(keyOf(line))) {
                    twice.add(keyOf(line));
                }
            }
            assertTrue(twice.isEmpty(), "defined twice: " + twice);
        }

        @ParameterizedTest(name = "{0}")
        @DisplayName("every key a mode profile sets is documented in application.properties")
        @ValueSource(strings = {"application-sandbox.properties", "application-production.properties"})
        void profileKeysAreDocumentedInTheBaseFile(String profile) throws IOException {
            Properties base = new Properties();
            base.load(new StringReader(classpathText("application.properties")));
            Properties mode = new Properties();
            mode.load(new StringReader(classpathText(profile)));
            Map<String, String> missing = new HashMap<>();
            for (String key : mode.stringPropertyNames()) {
                if (!base.containsKey(key)) {
                    missing.put(key, mode.getProperty(key));
                }
            }
            assertTrue(missing.isEmpty(), profile + " sets keys application.properties does not list: " + missing);
        }
    }
}
