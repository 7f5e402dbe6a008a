package fi.kelmu.gateway.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CRLs of the configured files, reloaded when a file changes (checked at most every {@code refresh}), so
 * that a revocation published by the CA takes effect without a restart. A file that becomes unreadable
 * keeps the last good CRLs and is logged: revocation checking stays on and fails closed when a CRL expires.
 */
public final class CrlSource {

    private static final Logger LOG = LoggerFactory.getLogger(CrlSource.class);

    private final List<Path> files;
    private final Duration refresh;
    private final Clock clock;
    private volatile List<X509CRL> crls;
    private volatile List<FileTime> stamps;
    private volatile Instant nextCheck;

    public CrlSource(List<Path> files, Duration refresh, Clock clock) {
        this.files = List.copyOf(files);
        this.refresh = refresh;
        this.clock = clock;
        this.crls = List.copyOf(SecurityMaterial.crls(this.files));
        this.stamps = stamps();
        this.nextCheck = clock.instant().plus(refresh);
    }

    public List<X509CRL> current() {
        Instant now = clock.instant();
        if (!files.isEmpty() && !now.isBefore(nextCheck)) {
            synchronized (this) {
                if (!now.isBefore(nextCheck)) {
                    reloadIfChanged();
                    nextCheck = now.plus(refresh);
                }
            }
        }
        return crls;
    }

    private void reloadIfChanged() {
        List<FileTime> now = stamps();
        if (now.equals(stamps)) {
            return;
        }
        try {
            crls = List.copyOf(SecurityMaterial.crls(files));
            stamps = now;
            LOG.info("CRLs reloaded from {}", files);
        } catch (IllegalStateException e) {
            LOG.error("CRL files changed but cannot be loaded; keeping the previous CRLs: {}", e.getMessage());
        }
    }

    private List<FileTime> stamps() {
        List<FileTime> result = new ArrayList<>();
        for (Path file : files) {
            try {
                result.add(Files.getLastModifiedTime(file));
            } catch (IOException e) {
                result.add(FileTime.fromMillis(-1));
            }
        }
        return result;
    }
}
