package dev.portcullis.proxy.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version this build was made as: {@code version.properties}, filled in by Maven's resource filtering
 * with the project version, so the shaded jar (whose manifest has no {@code Implementation-Version}) and
 * a test run alike know it. Printed by {@code --version}, a label of {@code pomerium_build_info}, the
 * tracing resource's {@code service.version}.
 */
public final class BuildVersion {
    private BuildVersion() {}

    /** {@code 0.1.0-SNAPSHOT}; {@code development} when the file was not filtered (an IDE build). */
    public static String current() {
        try (InputStream in = BuildVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "development";
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            return version.isBlank() || version.startsWith("${") ? "development" : version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
