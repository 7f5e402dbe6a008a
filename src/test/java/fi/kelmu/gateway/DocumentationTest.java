package fi.kelmu.gateway;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.fault.FaultCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The docs are the operator's reference: the fault table in docs/faults.md is the code's, and the property
 * table in docs/configuration.md is exactly application.properties; the README stays short.
 */
class DocumentationTest {

    private static final int README_MAX_LINES = 250;
    private static final List<String> BACKEND_TYPES = List.of("hva", "kunta", "helsinki");
    /** The groups of properties kept per organisation type: the benefit and the payment-demand backends. */
    private static final List<String> TYPED_PREFIXES = List.of("kelmu.backend.", "kelmu.payment-backend.");
    private static final String TYPE = "<type>.";

    private static Path projectFile(String... names) {
        return Path.of(System.getProperty("kelmu.project.dir", "."), names);
    }

    private static String read(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), file + " is missing");
        return Files.readString(file);
    }

    private Properties applicationProperties() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            assertNotNull(in, "application.properties is not on the classpath");
            properties.load(in);
        }
        return properties;
    }

    /** kelmu.backend.hva.base-url → kelmu.backend.&lt;type&gt;.base-url, as the table writes it. */
    private static String generic(String key) {
        return key.replaceFirst("^kelmu\\.(backend|payment-backend)\\.(hva|kunta|helsinki)\\.", "kelmu.$1." + TYPE);
    }

    /** kelmu.backend.&lt;type&gt;.base-url → the three properties it stands for; any other name → itself. */
    private static List<String> specific(String name) {
        for (String prefix : TYPED_PREFIXES) {
            if (name.startsWith(prefix + TYPE)) {
                String rest = name.substring((prefix + TYPE).length());
                return BACKEND_TYPES.stream().map(type -> prefix + type + "." + rest).toList();
            }
        }
        return List.of(name);
    }

    /** The first-column names of the table under the header "| property | default | meaning |". */
    private static List<String> documentedProperties(String configurationMd) {
        List<String> lines = configurationMd.lines().toList();
        int header = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).replace(" ", "").equals("|property|default|meaning|")) {
                header = i;
                break;
            }
        }
        assertTrue(header >= 0, "docs/configuration.md has no table headed | property | default | meaning |");
        List<String> names = new ArrayList<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String firstCell = lines.get(i).substring(1).split("\\|", 2)[0].strip();
            assertTrue(firstCell.startsWith("`") && firstCell.endsWith("`") && firstCell.length() > 2,
                    "docs/configuration.md: the property cell is not one `name`: " + lines.get(i));
            names.add(firstCell.substring(1, firstCell.length() - 1));
        }
        return names;
    }

    @Test
    void faultsDocListsEveryFaultCodeOfTheTable() throws IOException {
        String faults = read(projectFile("docs", "faults.md"));
        for (FaultCode code : FaultCode.values()) {
            assertTrue(faults.contains("| `" + code.code() + "` |"), "docs/faults.md fault table lacks " + code.code());
        }
        assertTrue(faults.contains("Fault table version **" + FaultCode.TABLE_VERSION + "**"),
                "docs/faults.md does not say \"Fault table version **" + FaultCode.TABLE_VERSION + "**\"");
    }

    @Test
    void faultsDocListsNoCodeTheGatewayDoesNotHave() throws IOException {
        Set<String> codes = Arrays.stream(FaultCode.values()).map(FaultCode::code).collect(Collectors.toSet());
        for (String line : read(projectFile("docs", "faults.md")).lines().toList()) {
            if (line.startsWith("| `")) {
                String documented = line.substring(3, line.indexOf('`', 3));
                assertTrue(codes.contains(documented), "docs/faults.md lists " + documented + ", which FaultCode lacks");
            }
        }
    }

    @Test
    void configurationDocDocumentsEveryProperty() throws IOException {
        Set<String> documented = new LinkedHashSet<>(documentedProperties(read(projectFile("docs", "configuration.md"))));
        for (String key : applicationProperties().stringPropertyNames()) {
            assertTrue(documented.contains(generic(key)),
                    "docs/configuration.md does not document " + key + " (as `" + generic(key) + "`)");
        }
    }

    @Test
    void configurationDocDocumentsOnlyPropertiesThatExist() throws IOException {
        Properties properties = applicationProperties();
        List<String> documented = documentedProperties(read(projectFile("docs", "configuration.md")));
        assertFalse(documented.isEmpty(), "docs/configuration.md documents no property");
        Set<String> seen = new LinkedHashSet<>();
        for (String name : documented) {
            assertTrue(seen.add(name), "docs/configuration.md documents " + name + " twice");
            for (String key : specific(name)) {
                assertTrue(properties.containsKey(key),
                        "docs/configuration.md documents " + key + ", which application.properties does not have");
            }
        }
    }

    @Test
    void readmeStaysShort() throws IOException {
        long lines = read(projectFile("README.md")).lines().count();
        assertTrue(lines <= README_MAX_LINES,
                "README.md has " + lines + " lines, more than " + README_MAX_LINES + ": move detail into docs/");
    }
}
