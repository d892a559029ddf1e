package dev.portcullis.authn.passkey;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.authn.builtin.BuiltinUser;
import dev.portcullis.authn.file.VersionedJsonFile;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The content of the passkeys file: for each user with passkeys, the user handle and the credentials.
 * Immutable; each change gives a new file. The JSON format ({@link #toJson}):
 * <pre>{@code
 * {
 *   "version": 1,
 *   "users": [
 *     { "email": "alice@example.com",          // lower-cased
 *       "handle": "q0Wb…",                     // base64url of 32 random bytes: the WebAuthn user.id
 *       "passkeys": [
 *         { "id": "AbC…",                      // credential id, base64url
 *           "publicKey": "pQECAyYg…",          // COSE_Key, base64url
 *           "signCount": 7, "name": "Phone",
 *           "created": "2026-12-07T23:00:00Z", "lastUsed": "2026-12-08T08:00:00Z",   // lastUsed optional
 *           "transports": ["internal", "hybrid"] } ] } ]
 * }
 * }</pre>
 */
public final class PasskeyFile {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final Map<String, UserPasskeys> users;

    private PasskeyFile(Map<String, UserPasskeys> users) {
        this.users = Collections.unmodifiableMap(new LinkedHashMap<>(users));
    }

    /** A file without users. */
    public static PasskeyFile empty() {
        return new PasskeyFile(Map.of());
    }

    /** The passkeys and handle of one user. */
    public record UserPasskeys(String handle, List<PasskeyCredential> credentials) {
        public UserPasskeys {
            requireNonNull(handle, "handle");
            credentials = List.copyOf(requireNonNull(credentials, "credentials"));
        }
    }

    /** The user handle of {@code email}, when the user has one. */
    public Optional<String> handle(String email) {
        return Optional.ofNullable(users.get(BuiltinUser.normalize(email))).map(UserPasskeys::handle);
    }

    /** The passkeys of {@code email}, oldest first. */
    public List<PasskeyCredential> credentials(String email) {
        UserPasskeys entry = users.get(BuiltinUser.normalize(email));
        return entry == null ? List.of() : entry.credentials();
    }

    /** The credential with this id, whoever owns it. */
    public Optional<PasskeyCredential> credential(String id) {
        return users.values().stream().flatMap(entry -> entry.credentials().stream())
                .filter(credential -> credential.id().equals(id)).findFirst();
    }

    /** The emails of the users with a handle, in file order. */
    public List<String> emails() {
        return List.copyOf(users.keySet());
    }

    /** This file with {@code email} given {@code handle} when the user has none yet. */
    public PasskeyFile withHandle(String email, String handle) {
        String key = BuiltinUser.normalize(email);
        if (users.containsKey(key)) {
            return this;
        }
        Map<String, UserPasskeys> changed = new LinkedHashMap<>(users);
        changed.put(key, new UserPasskeys(handle, List.of()));
        return new PasskeyFile(changed);
    }

    /** This file with {@code credential} added to its owner, who must have a handle already. */
    public PasskeyFile with(PasskeyCredential credential) {
        UserPasskeys entry = users.get(credential.email());
        if (entry == null) {
            throw new IllegalStateException("no user handle for " + credential.email());
        }
        List<PasskeyCredential> credentials = new ArrayList<>(entry.credentials());
        credentials.removeIf(existing -> existing.id().equals(credential.id()));
        credentials.add(credential);
        Map<String, UserPasskeys> changed = new LinkedHashMap<>(users);
        changed.put(credential.email(), new UserPasskeys(entry.handle(), credentials));
        return new PasskeyFile(changed);
    }

    /** This file with the credential {@code id} of {@code email} replaced by {@code change} of it; the same file when absent. */
    public PasskeyFile changing(String email, String id, UnaryOperator<PasskeyCredential> change) {
        String key = BuiltinUser.normalize(email);
        UserPasskeys entry = users.get(key);
        if (entry == null) {
            return this;
        }
        List<PasskeyCredential> credentials = new ArrayList<>();
        boolean found = false;
        for (PasskeyCredential credential : entry.credentials()) {
            if (credential.id().equals(id)) {
                found = true;
                PasskeyCredential changed = change.apply(credential);
                if (changed != null) {
                    credentials.add(changed);
                }
            } else {
                credentials.add(credential);
            }
        }
        if (!found) {
            return this;
        }
        Map<String, UserPasskeys> changed = new LinkedHashMap<>(users);
        changed.put(key, new UserPasskeys(entry.handle(), credentials));
        return new PasskeyFile(changed);
    }

    /** This file without {@code email}'s handle and passkeys. */
    public PasskeyFile without(String email) {
        String key = BuiltinUser.normalize(email);
        if (!users.containsKey(key)) {
            return this;
        }
        Map<String, UserPasskeys> changed = new LinkedHashMap<>(users);
        changed.remove(key);
        return new PasskeyFile(changed);
    }

    /** The file's JSON text. */
    public String toJson() {
        VersionedJsonFile document = new VersionedJsonFile("users");
        users.forEach((email, entry) -> {
            ObjectNode user = document.addEntry();
            user.put("email", email);
            user.put("handle", entry.handle());
            ArrayNode passkeys = user.putArray("passkeys");
            for (PasskeyCredential credential : entry.credentials()) {
                ObjectNode node = passkeys.addObject();
                node.put("id", credential.id());
                node.put("publicKey", BASE64URL.encodeToString(credential.publicKey()));
                node.put("signCount", credential.signCount());
                node.put("name", credential.name());
                node.put("created", credential.created().toString());
                credential.lastUsed().ifPresent(used -> node.put("lastUsed", used.toString()));
                ArrayNode transports = node.putArray("transports");
                credential.transports().forEach(transports::add);
            }
        });
        return document.text();
    }

    /**
     * Parses a passkeys file.
     *
     * @throws IOException naming {@code sourceName} and the JSON path of the first problem
     */
    public static PasskeyFile parse(String json, String sourceName) throws IOException {
        requireNonNull(json, "json");
        JsonNode entries = VersionedJsonFile.entries(json, sourceName, "users");
        Map<String, UserPasskeys> users = new LinkedHashMap<>();
        int u = 0;
        for (JsonNode user : entries) {
            String at = sourceName + ": users[" + u++ + "]";
            String email = BuiltinUser.normalize(VersionedJsonFile.string(user, "email", at));
            List<PasskeyCredential> credentials = new ArrayList<>();
            int p = 0;
            for (JsonNode node : user.path("passkeys")) {
                credentials.add(credential(node, email, at + ".passkeys[" + p++ + "]"));
            }
            if (users.put(email, new UserPasskeys(VersionedJsonFile.string(user, "handle", at), credentials)) != null) {
                throw new IOException(at + ".email: " + email + " appears twice");
            }
        }
        return new PasskeyFile(users);
    }

    private static PasskeyCredential credential(JsonNode node, String email, String at) throws IOException {
        try {
            List<String> transports = new ArrayList<>();
            node.path("transports").forEach(transport -> transports.add(transport.asText()));
            JsonNode lastUsed = node.get("lastUsed");
            if (!node.path("signCount").canConvertToLong()) {
                throw new IOException(at + ".signCount: expected a number");
            }
            return new PasskeyCredential(VersionedJsonFile.string(node, "id", at), email,
                    Base64.getUrlDecoder().decode(VersionedJsonFile.string(node, "publicKey", at)), node.get("signCount").asLong(),
                    node.path("name").asText(""), Instant.parse(VersionedJsonFile.string(node, "created", at)),
                    lastUsed == null || lastUsed.isNull() ? Optional.empty() : Optional.of(Instant.parse(lastUsed.asText())),
                    transports);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IOException(at + ": " + e.getMessage());
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PasskeyFile that && users.equals(that.users);
    }

    @Override
    public int hashCode() {
        return users.hashCode();
    }

    @Override
    public String toString() {
        return "PasskeyFile[" + users.size() + " users]";
    }
}
