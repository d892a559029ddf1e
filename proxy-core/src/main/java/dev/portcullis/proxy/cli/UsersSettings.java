package dev.portcullis.proxy.cli;

import static java.util.Objects.requireNonNull;

import dev.portcullis.config.ConfigException;
import dev.portcullis.config.ConfigLoader;
import dev.portcullis.config.Options;
import dev.portcullis.proxy.cli.UsersCommand.Failure;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * What {@code portcullis users} takes from the configuration and the environment, as when serving:
 * <ul>
 *   <li>the users file: {@code --users-file FILE}, else the {@code builtin_users_file} of {@code --config FILE}
 *       (the environment's {@code BUILTIN_USERS_FILE} winning), else the environment's {@code BUILTIN_USERS_FILE};</li>
 *   <li>the origin of invitation links: the {@code authenticate_service_url} of {@code --config FILE} (the
 *       environment's {@code AUTHENTICATE_SERVICE_URL} winning), else the environment's
 *       {@code AUTHENTICATE_SERVICE_URL}.</li>
 * </ul>
 * When the configuration does not load as a whole (typically because the users file does not exist yet), the one
 * key is read from its YAML directly.
 */
final class UsersSettings {

    private static final String USERS_FILE_VARIABLE = "BUILTIN_USERS_FILE";
    private static final String AUTHENTICATE_VARIABLE = "AUTHENTICATE_SERVICE_URL";

    private final Map<String, String> environment;
    private final Optional<Path> usersFile;
    private final Optional<Path> config;
    private Optional<Options> loaded;
    private ConfigException loadProblem;

    UsersSettings(Map<String, String> environment, Optional<Path> usersFile, Optional<Path> config) {
        this.environment = requireNonNull(environment, "environment");
        this.usersFile = requireNonNull(usersFile, "usersFile");
        this.config = requireNonNull(config, "config");
    }

    /** The users file named on the command line, in the configuration, or in the environment. */
    Path usersFile() throws Failure, CommandLine.UsageException {
        if (usersFile.isPresent()) {
            return usersFile.get();
        }
        if (config.isPresent()) {
            Optional<Options> options = options();
            if (options.isPresent()) {
                return options.get().identityProvider().builtinUsersFile().orElseThrow(() -> new Failure(config.get()
                        + " sets no builtin_users_file (with idp_provider: builtin)"));
            }
            return setting("builtin_users_file", USERS_FILE_VARIABLE).map(Path::of)
                    .orElseThrow(() -> new Failure(config.get() + " names no users file; its problems: " + problems()));
        }
        return variable(USERS_FILE_VARIABLE).map(Path::of)
                .orElseThrow(() -> new CommandLine.UsageException("users needs --users-file FILE or --config FILE"));
    }

    /** The origin ({@code https://host[:port]}) of the authenticate service, where invitation links lead. */
    URI authenticateOrigin() throws Failure {
        Optional<String> configured;
        if (config.isPresent() && options().isPresent()) {
            configured = options().get().authenticateServiceUrl().map(URI::toString);
        } else if (config.isPresent()) {
            configured = setting("authenticate_service_url", AUTHENTICATE_VARIABLE);
        } else {
            configured = variable(AUTHENTICATE_VARIABLE);
        }
        String url = configured.orElseThrow(() -> new Failure("an invitation link needs the authenticate service's URL:"
                + " give --config FILE with authenticate_service_url, or set AUTHENTICATE_SERVICE_URL"));
        try {
            URI parsed = new URI(url);
            if (parsed.getHost() != null && ("https".equals(parsed.getScheme()) || "http".equals(parsed.getScheme()))) {
                return new URI(parsed.getScheme(), null, parsed.getHost(), parsed.getPort(), null, null, null);
            }
        } catch (URISyntaxException e) {
            // refused below, as any other URL that is not http(s)://host
        }
        throw new Failure("authenticate_service_url: \"" + url + "\" (expected: a URL like https://authenticate.example.com)");
    }

    /** The configuration's options, loaded once; empty when it does not load as a whole. */
    private Optional<Options> options() {
        if (loaded == null) {
            try {
                loaded = Optional.of(new ConfigLoader(environment).load(config).options());
            } catch (ConfigException e) {
                loaded = Optional.empty();
                loadProblem = e;
            }
        }
        return loaded;
    }

    private String problems() {
        return loadProblem == null ? "none"
                : loadProblem.problems().stream().map(Object::toString).collect(Collectors.joining("; "));
    }

    /** A key of a configuration that does not load as a whole: the environment's variable when set, else the YAML key. */
    private Optional<String> setting(String key, String variable) {
        Optional<String> fromEnvironment = variable(variable);
        if (fromEnvironment.isPresent()) {
            return fromEnvironment;
        }
        try (Reader reader = Files.newBufferedReader(config.orElseThrow(), StandardCharsets.UTF_8)) {
            Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            if (document instanceof Map<?, ?> top && top.get(key) instanceof String value && !value.isBlank()) {
                return Optional.of(value.strip());
            }
            return Optional.empty();
        } catch (IOException | YAMLException | InvalidPathException e) {
            return Optional.empty();
        }
    }

    private Optional<String> variable(String name) {
        return Optional.ofNullable(environment.get(name)).filter(v -> !v.isBlank()).map(String::strip);
    }
}
