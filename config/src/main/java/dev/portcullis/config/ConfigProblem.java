package dev.portcullis.config;

import static java.util.Objects.requireNonNull;

/**
 * One thing wrong with the configuration.
 *
 * @param path    where: a YAML path ({@code routes[2].to}, {@code downstream_mtls.ca}); for a value from
 *                the environment the variable followed by the path ({@code INSECURE_SERVER (insecure_server)},
 *                {@code POLICY (policy[0].to)}); for the file as a whole, the file name
 * @param message what is wrong and, where it helps, what was expected
 */
public record ConfigProblem(String path, String message) {

    public ConfigProblem {
        requireNonNull(path, "path");
        requireNonNull(message, "message");
    }

    /**
     * {@code path: message}, e.g. {@code routes[2].to: "htp:/x" is not an http(s) URL}. A message that
     * begins with "is " continues the path as one sentence: {@code cookie_secret is required: …}.
     */
    @Override
    public String toString() {
        return path + (message.startsWith("is ") ? " " : ": ") + message;
    }
}
