package dev.portcullis.config.internal.options;

import dev.portcullis.config.Options.Secrets;
import dev.portcullis.config.internal.source.GeneratedSecretsFile;
import dev.portcullis.config.internal.value.AlternativeKeys;
import dev.portcullis.config.internal.value.ConfigPath;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.MaterialReader;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code cookie_secret} and {@code shared_secret} (or their {@code *_file} variants). A secret that
 * is not set is taken from the {@link GeneratedSecretsFile} in the {@link DataDirectory}, which is created
 * on the first start that needs it, with one warning saying where it is and how to set the secrets
 * explicitly. Unlike Pomerium, which makes up random ones at every start (logging everyone out on each
 * restart), sessions survive a restart.
 *
 * <p>Refused: a missing secret when that file cannot be written (or read), and when
 * {@code databroker_storage_type} names a shared store, because replicas would each generate their own
 * secrets and refuse each other's cookies. When the load may not write ({@code validate}), a file that does
 * not exist yet is only checked for being creatable, and the secrets of this load are random ones kept in
 * memory.
 */
final class SecretsReader {

    private final ValueReaders readers;
    private final Diagnostics diagnostics;
    private final AlternativeKeys alternatives;
    private final Map<String, String> environment;
    private final boolean mayWrite;

    /**
     * @param environment the process environment, for the default data directory
     * @param mayWrite    whether a missing secrets file is created ({@code serve}) or only checked ({@code validate})
     */
    SecretsReader(ValueReaders readers, Map<String, String> environment, boolean mayWrite) {
        this.readers = readers;
        this.diagnostics = readers.diagnostics();
        this.alternatives = new AlternativeKeys(diagnostics);
        this.environment = environment;
        this.mayWrite = mayWrite;
    }

    Optional<Secrets> read(SettingMap top) {
        List<String> missing = new ArrayList<>();
        Optional<byte[]> cookie = secret(top, "cookie_secret", missing);
        Optional<byte[]> shared = secret(top, "shared_secret", missing);
        if (missing.isEmpty()) {
            return cookie.isEmpty() || shared.isEmpty() ? Optional.empty() : Optional.of(new Secrets(cookie.get(), shared.get()));
        }
        Optional<GeneratedSecretsFile.Secrets> generated = generated(top, missing);
        if (generated.isEmpty() || (cookie.isEmpty() && !missing.contains("cookie_secret"))
                || (shared.isEmpty() && !missing.contains("shared_secret"))) {
            return Optional.empty();
        }
        return Optional.of(new Secrets(cookie.orElse(generated.get().cookieSecret()),
                shared.orElse(generated.get().sharedSecret())));
    }

    /** The secret set as {@code key} or {@code key_file}; when neither is set, {@code key} is added to {@code missing}. */
    private Optional<byte[]> secret(SettingMap top, String key, List<String> missing) {
        String fileKey = key + "_file";
        if (!top.has(key) && !top.has(fileKey)) {
            missing.add(key);
            return Optional.empty();
        }
        Optional<Setting> setting = alternatives.choose(top, key, fileKey);
        if (setting.isEmpty()) {
            return Optional.empty();
        }
        Setting s = setting.get();
        return s.at().path().equals(key) ? readers.materials().secret(s) : readers.materials().secretFile(s);
    }

    private Optional<GeneratedSecretsFile.Secrets> generated(SettingMap top, List<String> missing) {
        Optional<String> sharedStore = top.get("databroker_storage_type").flatMap(readers.scalars()::text)
                .map(String::strip).filter(t -> !t.isEmpty() && !t.equalsIgnoreCase("memory"));
        if (sharedStore.isPresent()) {
            missing.forEach(key -> diagnostics.problem(ConfigPath.of(key), "is required with databroker_storage_type: "
                    + sharedStore.get() + ": replicas that share a store must share their secrets, and each would"
                    + " generate its own; " + MaterialReader.HOW_TO_GENERATE + ", and set the same one on every"
                    + " replica as " + variables(key)));
            return Optional.empty();
        }
        int before = diagnostics.problemCount();
        Optional<Path> directory = DataDirectory.of(top, environment, readers);
        if (directory.isEmpty()) {
            if (diagnostics.problemCount() == before) {
                missing.forEach(key -> diagnostics.problem(ConfigPath.of(key), "is required: there is no data directory"
                        + " to keep a generated one in (HOME is not set); " + MaterialReader.HOW_TO_GENERATE
                        + ", and set it as " + variables(key) + ", or set DATA_DIR to a writable directory"));
            }
            return Optional.empty();
        }
        GeneratedSecretsFile file = new GeneratedSecretsFile(directory.get());
        return file.exists() ? existing(file, missing) : create(file, missing);
    }

    private Optional<GeneratedSecretsFile.Secrets> existing(GeneratedSecretsFile file, List<String> missing) {
        try {
            GeneratedSecretsFile.Secrets secrets = file.read();
            if (!file.isPrivate()) {
                diagnostics.warning(file.path() + " can be read by others than its owner, and anyone who reads it can"
                        + " forge sessions: chmod 600 " + file.path());
            }
            diagnostics.warning(names(missing) + " not set: using the generated " + (missing.size() == 1 ? "one" : "ones")
                    + " kept in " + file.path() + howToSet(missing));
            return Optional.of(secrets);
        } catch (IOException e) {
            refuse(missing, file, "cannot be read (" + reason(e) + ")");
        } catch (GeneratedSecretsFile.DamagedException e) {
            refuse(missing, file, e.getMessage() + "; delete it to generate new secrets (everyone is signed out)");
        }
        return Optional.empty();
    }

    private Optional<GeneratedSecretsFile.Secrets> create(GeneratedSecretsFile file, List<String> missing) {
        if (!mayWrite) {
            Optional<String> whyNot = file.whyNotCreatable();
            if (whyNot.isPresent()) {
                refuse(missing, file, "could not be created (" + whyNot.get() + ")");
                return Optional.empty();
            }
            diagnostics.warning(names(missing) + " not set: at start, new ones would be generated and kept in "
                    + file.path() + " (mode 0600), so that sessions survive a restart" + howToSet(missing));
            // For the rest of this load only; never written, never shown.
            SecureRandom random = new SecureRandom();
            byte[] cookie = new byte[32];
            byte[] shared = new byte[32];
            random.nextBytes(cookie);
            random.nextBytes(shared);
            return Optional.of(new GeneratedSecretsFile.Secrets(cookie, shared));
        }
        try {
            GeneratedSecretsFile.Secrets secrets = file.create(new SecureRandom());
            diagnostics.warning(names(missing) + " not set: generated new ones and kept them in " + file.path()
                    + " (mode 0600), so that sessions survive a restart" + howToSet(missing));
            return Optional.of(secrets);
        } catch (IOException e) {
            refuse(missing, file, "cannot be written (" + reason(e) + ")");
        } catch (GeneratedSecretsFile.DamagedException e) {
            refuse(missing, file, e.getMessage());
        }
        return Optional.empty();
    }

    private void refuse(List<String> missing, GeneratedSecretsFile file, String what) {
        diagnostics.problem(ConfigPath.of(missing.get(0)), "is not set, and the file that keeps generated secrets, "
                + file.path() + ", " + what + ": make " + file.path().getParent() + " writable by user "
                + System.getProperty("user.name") + " (or set DATA_DIR to a directory that is), or set "
                + String.join(" and ", missing.stream().map(SecretsReader::variables).toList()) + " yourself ("
                + MaterialReader.HOW_TO_GENERATE + ")");
    }

    private static String reason(IOException e) {
        String type = e.getClass().getSimpleName();
        return switch (type) {
            case "AccessDeniedException" -> "permission denied";
            case "NoSuchFileException" -> "no such directory";
            case "FileSystemException" -> e.getMessage() != null && e.getMessage().contains("Read-only")
                    ? "read-only file system" : "file system error";
            default -> e.getMessage() == null ? type : e.getMessage();
        };
    }

    private static String names(List<String> missing) {
        return String.join(" and ", missing) + (missing.size() == 1 ? " is" : " are");
    }

    private static String howToSet(List<String> missing) {
        return "; to set " + (missing.size() == 1 ? "it" : "them") + " yourself, copy "
                + (missing.size() == 1 ? "it" : "them") + " from that file into "
                + String.join(" and ", missing.stream().map(SecretsReader::variables).toList());
    }

    private static String variables(String key) {
        String upper = key.toUpperCase(Locale.ROOT);
        return upper + " (or " + upper + "_FILE naming a file that holds it)";
    }
}
