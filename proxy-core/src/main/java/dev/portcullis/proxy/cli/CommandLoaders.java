package dev.portcullis.proxy.cli;

import dev.portcullis.authn.assertion.SigningKeys;
import dev.portcullis.config.ConfigLoader;
import java.util.Map;

/**
 * The configuration loaders of the commands. Each judges {@code signing_key} with the signer's own parser
 * ({@link SigningKeys#problemWith}), so that {@code validate} refuses every key {@code serve} would, naming
 * it; {@code serve}'s loader also generates the secrets that are not set and keeps them in the data
 * directory, where {@code validate}'s only says it would (and where).
 */
public final class CommandLoaders {

    private CommandLoaders() {}

    /** What {@code serve} and its reloads load with. */
    public static ConfigLoader forServe(Map<String, String> environment) {
        return forValidate(environment).keepingGeneratedSecrets();
    }

    /** What {@code validate} and {@code check} load with: the same checks, and nothing written. */
    public static ConfigLoader forValidate(Map<String, String> environment) {
        return new ConfigLoader(environment).checkingSigningKeysWith(SigningKeys::problemWith);
    }
}
