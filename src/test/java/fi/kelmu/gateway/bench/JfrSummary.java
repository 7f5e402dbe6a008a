package fi.kelmu.gateway.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises the {@code jdk.ExecutionSample} events of a JFR recording (the gateway's, in the benchmark's profile
 * mode) as text: top methods by self samples (the top frame) and by inclusive samples (anywhere on the stack,
 * once per sample), self samples by package and by subsystem, and the gateway's own frames nearest the top.
 * JFR samples Java threads running Java code only (not those in native code or waiting), at most a few
 * hundred a second. Run alone: {@code JfrSummary RECORDING.jfr [OUTPUT.txt]}.
 */
public final class JfrSummary {

    private static final int TOP = 40;

    /** Package prefixes to the subsystem they belong to, most specific first. */
    private static final String[][] SUBSYSTEMS = {
        {"fi.kelmu.", "kelmu-gateway"},
        {"org.apache.wss4j.", "WS-Security (WSS4J)"},
        {"org.apache.xml.security.", "XML signature (Santuario)"},
        {"sun.security.ec.", "JDK crypto: EC"},
        {"sun.security.rsa.", "JDK crypto: RSA"},
        {"sun.security.provider.", "JDK crypto: digests, keys"},
        {"sun.security.", "JDK security, other"},
        {"java.security.", "JDK security, other"},
        {"javax.crypto.", "JDK security, other"},
        {"com.sun.crypto.", "JDK security, other"},
        {"java.math.", "JDK BigInteger"},
        {"org.bouncycastle.", "BouncyCastle"},
        {"org.apache.cxf.", "CXF"},
        {"org.apache.camel.", "Camel"},
        {"org.eclipse.jetty.", "Jetty"},
        {"com.ctc.wstx.", "XML parsing (Woodstox)"},
        {"org.codehaus.stax2.", "XML parsing (Woodstox)"},
        {"com.sun.org.apache.xerces.", "JDK XML (Xerces DOM/parser)"},
        {"com.sun.org.apache.xml.", "JDK XML (serializer)"},
        {"com.sun.org.apache.xalan.", "JDK XML (XSLT/serializer)"},
        {"com.sun.xml.messaging.saaj.", "SAAJ"},
        {"com.sun.xml.internal.", "JDK XML, other"},
        {"javax.xml.", "JDK XML, other"},
        {"org.glassfish.jaxb.", "JAXB"},
        {"com.sun.xml.bind.", "JAXB"},
        {"jakarta.xml.bind.", "JAXB"},
        {"org.h2.", "H2 database"},
        {"com.zaxxer.hikari.", "JDBC pool"},
        {"ch.qos.logback.", "logging"},
        {"org.slf4j.", "logging"},
        {"io.github.resilience4j.", "resilience4j"},
        {"com.fasterxml.jackson.", "Jackson"},
        {"jdk.internal.net.http.", "JDK HttpClient"},
        {"java.net.http.", "JDK HttpClient"},
        {"sun.nio.", "JDK NIO"},
        {"java.nio.", "JDK NIO"},
        {"java.util.regex.", "JDK regex"},
        {"java.util.concurrent.", "JDK concurrency"},
        {"java.util.zip.", "JDK zip"},
        {"java.lang.invoke.", "JDK reflection/invoke"},
        {"java.lang.reflect.", "JDK reflection/invoke"},
        {"jdk.internal.reflect.", "JDK reflection/invoke"},
        {"java.", "JDK, other"},
        {"jdk.", "JDK, other"},
        {"sun.", "JDK, other"},
    };

    private JfrSummary() {
    }

    public static void main(String[] args) throws IOException {
        String text = summarise(Path.of(args[0]), e -> true, "all samples");
        if (args.length > 1) {
            Files.writeString(Path.of(args[1]), text, StandardCharsets.UTF_8);
        } else {
            System.out.print(text);
        }
    }

    /** The summary of the samples {@code keep} accepts (e.g. those inside measured windows). */
    static String summarise(Path recording, Predicate<Instant> keep, String selection) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> packages = new HashMap<>();
        Map<String, Integer> subsystems = new HashMap<>();
        Map<String, Integer> gatewayTop = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        int all = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!"jdk.ExecutionSample".equals(event.getEventType().getName())) {
                continue;
            }
            all++;
            if (!keep.test(event.getStartTime())) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            var thread = event.getThread("sampledThread");
            add(threads, threadGroup(thread == null ? "?" : thread.getJavaName()));
            List<RecordedFrame> frames = stack.getFrames();
            String top = name(frames.get(0).getMethod());
            add(self, top);
            String type = frames.get(0).getMethod().getType().getName();
            add(packages, packageOf(type));
            add(subsystems, subsystem(type));
            Set<String> seen = new HashSet<>();
            boolean gatewayFound = false;
            for (RecordedFrame frame : frames) {
                String method = name(frame.getMethod());
                if (seen.add(method)) {
                    add(inclusive, method);
                }
                if (!gatewayFound && frame.getMethod().getType().getName().startsWith("fi.kelmu.")) {
                    add(gatewayTop, method);
                    gatewayFound = true;
                }
            }
            if (!gatewayFound) {
                add(gatewayTop, "(no gateway frame: " + subsystem(type) + ")");
            }
        }
        StringBuilder b = new StringBuilder();
        b.append("JFR CPU-sample profile of ").append(recording.getFileName()).append(": ").append(samples)
                .append(" jdk.ExecutionSample events (").append(selection).append("; ").append(all)
                .append(" in the recording)\n");
        b.append("Percentages are of the selected samples; JFR samples threads running Java code only.\n");
        section(b, "Threads (by name, digits dropped)", threads, samples, TOP);
        section(b, "Self samples by subsystem (top frame)", subsystems, samples, TOP);
        section(b, "Self samples by package (top frame)", packages, samples, TOP);
        section(b, "Top methods by self samples", self, samples, TOP);
        section(b, "Top methods by inclusive samples", inclusive, samples, TOP * 2);
        section(b, "Gateway frame nearest the top of each sample (where the gateway's own code spends or calls)",
                gatewayTop, samples, TOP);
        return b.toString();
    }

    static String subsystem(String className) {
        for (String[] entry : SUBSYSTEMS) {
            if (className.startsWith(entry[0])) {
                return entry[1];
            }
        }
        return "other: " + packageOf(className);
    }

    static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "(default)" : className.substring(0, dot);
    }

    private static String threadGroup(String name) {
        return name.replaceAll("[0-9]+", "#");
    }

    private static String name(RecordedMethod method) {
        return method.getType().getName() + "." + method.getName();
    }

    private static void add(Map<String, Integer> counts, String key) {
        counts.merge(key, 1, Integer::sum);
    }

    private static void section(StringBuilder b, String title, Map<String, Integer> counts, int total, int limit) {
        b.append('\n').append(title).append(":\n");
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        for (Map.Entry<String, Integer> e : entries.subList(0, Math.min(limit, entries.size()))) {
            b.append(String.format(Locale.ROOT, "  %6.2f %%  %7d  %s%n", 100.0 * e.getValue() / Math.max(1, total),
                    e.getValue(), e.getKey()));
        }
    }
}
