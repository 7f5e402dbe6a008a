package fi.kelmu.gateway.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's configuration, in layers, later ones winning:
 * <ol>
 *   <li>{@code application.properties} on the classpath (every property, commented);</li>
 *   <li>{@code application-<mode>.properties} on the classpath, for {@code kelmu.mode} sandbox or production;</li>
 *   <li>the file named by {@code kelmu.config.file} (environment {@code KELMU_CONFIG_FILE}), if any;</li>
 *   <li>environment variables: {@code kelmu.http.port} is read from {@code KELMU_HTTP_PORT} and so on, for
 *       every property the files above define (an environment variable cannot add a property);</li>
 *   <li>Java system properties with the property's own name;</li>
 *   <li>overrides given in code (tests).</li>
 * </ol>
 * Values may refer to other properties as {@code ${name}}, resolved when read.
 */
public final class GatewayConfig {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

    private final Map<String, String> values;

    private GatewayConfig(Map<String, String> values) {
        this.values = values;
    }

    public static GatewayConfig load(Map<String, String> overrides) {
        return load(overrides, System.getenv(), System.getProperties());
    }

    static GatewayConfig load(Map<String, String> overrides, Map<String, String> env, Properties system) {
        Map<String, String> values = new LinkedHashMap<>();
        readClasspath("application.properties", values, true);
        String file = firstOf(overrides.get("kelmu.config.file"), system.getProperty("kelmu.config.file"),
                env.get(envName("kelmu.config.file")), values.get("kelmu.config.file"));
        Map<String, String> site = new LinkedHashMap<>();
        if (file != null && !file.isBlank()) {
            readFile(Path.of(file), site);
        }
        // the mode may come from any layer, the site file included
        String mode = firstOf(overrides.get("kelmu.mode"), system.getProperty("kelmu.mode"),
                env.get(envName("kelmu.mode")), site.get("kelmu.mode"), values.get("kelmu.mode"));
        if (mode == null || !(mode.equals("sandbox") || mode.equals("production"))) {
            throw new IllegalStateException("kelmu.mode must be sandbox or production, not " + mode);
        }
        readClasspath("application-" + mode + ".properties", values, false);
        values.putAll(site);
        for (String key : values.keySet()) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                values.put(key, fromEnv);
            }
        }
        for (String key : system.stringPropertyNames()) {
            if (key.startsWith("kelmu.") || key.startsWith("camel.")) {
                values.put(key, system.getProperty(key));
            }
        }
        values.putAll(overrides);
        values.put("kelmu.mode", mode);
        return new GatewayConfig(values);
    }

    /** {@code kelmu.http.port} → {@code KELMU_HTTP_PORT}. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public GatewayConfig with(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        return new GatewayConfig(copy);
    }

    public boolean isSandbox() {
        return "sandbox".equals(values.get("kelmu.mode"));
    }

    /** The resolved value, or null when the property is not set or empty. */
    public String get(String key) {
        String raw = values.get(key);
        if (raw == null) {
            return null;
        }
        String resolved = resolve(raw, 0).strip();
        return resolved.isEmpty() ? null : resolved;
    }

    public String required(String key) {
        String value = get(key);
        if (value == null) {
            throw new IllegalStateException("configuration property " + key + " (environment " + envName(key)
                    + ") must be set");
        }
        return value;
    }

    public int integer(String key) {
        String value = required(key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("configuration property " + key + " must be a whole number: " + value);
        }
    }

    public Duration millis(String key) {
        return Duration.ofMillis(integer(key));
    }

    public boolean bool(String key) {
        String value = required(key);
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalStateException("configuration property " + key + " must be true or false: " + value);
        }
        return Boolean.parseBoolean(value);
    }

    /** All properties, resolved, for Camel's property placeholders. */
    public Properties toProperties() {
        Properties p = new Properties();
        for (String key : values.keySet()) {
            String v = get(key);
            if (v != null) {
                p.setProperty(key, v);
            }
        }
        return p;
    }

    private String resolve(String raw, int depth) {
        if (depth > 10) {
            throw new IllegalStateException("configuration placeholders nest too deep: " + raw);
        }
        Matcher m = PLACEHOLDER.matcher(raw);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String ref = values.get(m.group(1));
            if (ref == null) {
                throw new IllegalStateException("configuration refers to unset property " + m.group(1));
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(resolve(ref, depth + 1)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String firstOf(String... candidates) {
        for (String c : candidates) {
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    private static void readClasspath(String name, Map<String, String> into, boolean required) {
        InputStream in = GatewayConfig.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            if (required) {
                throw new IllegalStateException(name + " missing from the classpath");
            }
            return;
        }
        try (Reader reader = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
            putAll(reader, into);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name, e);
        }
    }

    private static void readFile(Path file, Map<String, String> into) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            putAll(reader, into);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void putAll(Reader reader, Map<String, String> into) throws IOException {
        Properties p = new Properties();
        p.load(reader);
        for (String key : p.stringPropertyNames()) {
            into.put(key, p.getProperty(key));
        }
    }
}
