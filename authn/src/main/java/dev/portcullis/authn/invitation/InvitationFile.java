package dev.portcullis.authn.invitation;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.authn.builtin.BuiltinUser;
import dev.portcullis.authn.file.VersionedJsonFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The content of the invitations file: at most one pending invitation per email, in the order they were made.
 * Immutable; each change gives a new file. The JSON format ({@link #toJson}):
 * <pre>{@code
 * {
 *   "version": 1,
 *   "invitations": [
 *     { "email": "Carol@example.com", "name": "Carol", "groups": ["family"],
 *       "created": "2026-12-08T00:00:00Z", "expiresAt": "2026-12-09T00:00:00Z",
 *       "tokenSha256": "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg" } ]   // base64url SHA-256 of the token
 * }
 * }</pre>
 */
final class InvitationFile {


    private final Map<String, Invitation> invitations;

    private InvitationFile(Map<String, Invitation> invitations) {
        this.invitations = Collections.unmodifiableMap(new LinkedHashMap<>(invitations));
    }

    static InvitationFile empty() {
        return new InvitationFile(Map.of());
    }

    /** The invitations in the order they were made. */
    List<Invitation> all() {
        return List.copyOf(invitations.values());
    }

    /** The invitation whose token digest is {@code digest}, compared in constant time. */
    Optional<Invitation> withDigest(String digest) {
        byte[] wanted = digest.getBytes(StandardCharsets.US_ASCII);
        Invitation found = null;
        for (Invitation invitation : invitations.values()) {
            if (MessageDigest.isEqual(invitation.tokenDigest().getBytes(StandardCharsets.US_ASCII), wanted)) {
                found = invitation;
            }
        }
        return Optional.ofNullable(found);
    }

    /** This file with {@code invitation}, replacing an earlier one of the same email. */
    InvitationFile with(Invitation invitation) {
        Map<String, Invitation> changed = new LinkedHashMap<>(invitations);
        changed.remove(invitation.normalizedEmail());
        changed.put(invitation.normalizedEmail(), invitation);
        return new InvitationFile(changed);
    }

    /** This file without the invitation of {@code email} (compared case-insensitively). */
    InvitationFile without(String email) {
        Map<String, Invitation> changed = new LinkedHashMap<>(invitations);
        changed.remove(BuiltinUser.normalize(email));
        return new InvitationFile(changed);
    }

    /** This file without the invitations expired at {@code now}. */
    InvitationFile withoutExpired(Instant now) {
        Map<String, Invitation> changed = new LinkedHashMap<>(invitations);
        changed.values().removeIf(invitation -> invitation.expiredAt(now));
        return new InvitationFile(changed);
    }

    /** The file's JSON text. */
    String toJson() {
        VersionedJsonFile document = new VersionedJsonFile("invitations");
        for (Invitation invitation : invitations.values()) {
            ObjectNode node = document.addEntry();
            node.put("email", invitation.email());
            node.put("name", invitation.name());
            ArrayNode groups = node.putArray("groups");
            invitation.groups().forEach(groups::add);
            node.put("created", invitation.created().toString());
            node.put("expiresAt", invitation.expiresAt().toString());
            node.put("tokenSha256", invitation.tokenDigest());
        }
        return document.text();
    }

    /**
     * Parses an invitations file.
     *
     * @throws IOException naming {@code sourceName} and the JSON path of the first problem
     */
    static InvitationFile parse(String json, String sourceName) throws IOException {
        requireNonNull(json, "json");
        JsonNode entries = VersionedJsonFile.entries(json, sourceName, "invitations");
        Map<String, Invitation> invitations = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode node : entries) {
            String at = sourceName + ": invitations[" + i++ + "]";
            Invitation invitation = invitation(node, at);
            if (invitations.put(invitation.normalizedEmail(), invitation) != null) {
                throw new IOException(at + ".email: " + invitation.email() + " appears twice");
            }
        }
        return new InvitationFile(invitations);
    }

    private static Invitation invitation(JsonNode node, String at) throws IOException {
        List<String> groups = new ArrayList<>();
        for (JsonNode group : node.path("groups")) {
            if (!group.isTextual()) {
                throw new IOException(at + ".groups: expected a list of strings");
            }
            groups.add(group.asText());
        }
        try {
            return new Invitation(VersionedJsonFile.string(node, "email", at), node.path("name").asText(""), groups,
                    Instant.parse(VersionedJsonFile.string(node, "created", at)), Instant.parse(VersionedJsonFile.string(node, "expiresAt", at)),
                    VersionedJsonFile.string(node, "tokenSha256", at));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IOException(at + ": " + e.getMessage());
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InvitationFile that && invitations.equals(that.invitations);
    }

    @Override
    public int hashCode() {
        return invitations.hashCode();
    }

    @Override
    public String toString() {
        return "InvitationFile[" + invitations.size() + " invitations]";
    }
}
