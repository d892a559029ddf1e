package dev.portcullis.authn.file;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The layout of the JSON files kept beside the users file (passkeys, invitations): an object
 * {@code {"version": 1, "<list>": [...]}}, written indented with a final line break. Reading refuses any other
 * layout or version, with an {@link IOException} that names the file and the JSON path of the problem.
 */
public final class VersionedJsonFile {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ObjectNode root = JSON.createObjectNode();
    private final ArrayNode list;

    /** A new document whose list is named {@code listMember}. */
    public VersionedJsonFile(String listMember) {
        root.put("version", 1);
        list = root.putArray(listMember);
    }

    /** A new entry at the end of the list. */
    public ObjectNode addEntry() {
        return list.addObject();
    }

    /** The document's text. */
    public String text() {
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The entries of the list {@code listMember} of the document {@code json}.
     *
     * @throws IOException naming {@code sourceName} when {@code json} is not such a document
     */
    public static JsonNode entries(String json, String sourceName, String listMember) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IOException(sourceName + ": not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || root.path("version").asInt() != 1 || !root.path(listMember).isArray()) {
            throw new IOException(sourceName + ": expected {\"version\": 1, \"" + listMember + "\": [...]}");
        }
        return root.get(listMember);
    }

    /**
     * The non-empty string {@code member} of {@code node}.
     *
     * @param at where {@code node} is, for the message: {@code file: list[2]}
     * @throws IOException {@code at.member: missing or not a string}
     */
    public static String string(JsonNode node, String member, String at) throws IOException {
        JsonNode value = node.get(member);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new IOException(at + "." + member + ": missing or not a string");
        }
        return value.asText();
    }
}
