package dev.portcullis.config.internal.value;

import static dev.portcullis.config.internal.value.ValueText.quote;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads key material: PEM given inline or by path, the content of {@code *_file} settings, and the
 * 32-byte secrets. Messages never repeat a secret or a key, only paths and sizes. Every file it reads,
 * or tries to read, is recorded in {@link FilesRead}.
 */
public final class MaterialReader {

    /** How to make a secret; every secret problem says it. */
    public static final String HOW_TO_GENERATE =
            "generate one with \"head -c32 /dev/urandom | base64\" or \"portcullis gen-secret\"";
    private static final int SECRET_BYTES = 32;

    private final Diagnostics diagnostics;
    private final ScalarReader scalars;
    private final FilesRead filesRead;

    public MaterialReader(Diagnostics diagnostics, ScalarReader scalars, FilesRead filesRead) {
        this.diagnostics = diagnostics;
        this.scalars = scalars;
        this.filesRead = filesRead;
    }

    /** PEM given as base64 of PEM, as PEM text, or as the path of a PEM file; it must hold {@code content}. */
    public Optional<String> pem(Setting s, PemContent content) {
        Optional<String> text = scalars.text(s);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (PemContent.ANY.foundIn(text.get())) {
            return holding(s.at(), "", text.get(), content);
        }
        String value = text.get().strip();
        Optional<String> decoded = Base64Text.decode(value).map(b -> new String(b, UTF_8)).filter(PemContent.ANY::foundIn);
        if (decoded.isPresent()) {
            return holding(s.at(), "", decoded.get(), content);
        }
        if (looksLikePath(value) || isFile(value)) {
            return readFile(s.at(), value).flatMap(pem -> holding(s.at(), quote(value) + " ", pem, content));
        }
        diagnostics.problem(s.at(), "is neither PEM text, base64-encoded PEM, nor the path of an existing file");
        return Optional.empty();
    }

    /** The PEM file at the path {@code s} names; it must hold {@code content}. */
    public Optional<String> pemFile(Setting s, PemContent content) {
        return scalars.text(s).map(String::strip).flatMap(path ->
                readFile(s.at(), path).flatMap(pem -> holding(s.at(), quote(path) + " ", pem, content)));
    }

    /** The text of the file at the path {@code s} names. */
    public Optional<String> fileText(Setting s) {
        return scalars.text(s).map(String::strip).flatMap(path -> readFile(s.at(), path));
    }

    /** 32 bytes given in base64. */
    public Optional<byte[]> secret(Setting s) {
        return scalars.text(s).flatMap(text -> decodeSecret(s.at(), "", text));
    }

    /** 32 bytes in base64, read from the file at the path {@code s} names (surrounding whitespace ignored). */
    public Optional<byte[]> secretFile(Setting s) {
        return scalars.text(s).map(String::strip).flatMap(path ->
                readFile(s.at(), path).flatMap(text -> decodeSecret(s.at(), quote(path) + " ", text.strip())));
    }

    private Optional<byte[]> decodeSecret(ConfigPath at, String source, String text) {
        if (PlaceholderText.isPlaceholder(text)) {
            diagnostics.problem(at, (source.isEmpty() ? "is" : source + "holds") + " \"" + text
                    + "\", a placeholder from a guide: " + HOW_TO_GENERATE);
            return Optional.empty();
        }
        Optional<byte[]> bytes = Base64Text.decode(text);
        if (bytes.isEmpty()) {
            diagnostics.problem(at, (source.isEmpty() ? "is not" : source + "does not hold") + " valid base64 (expected "
                    + SECRET_BYTES + " random bytes in base64: " + HOW_TO_GENERATE + ")");
        } else if (bytes.get().length != SECRET_BYTES) {
            diagnostics.problem(at, source + "decodes to " + bytes.get().length + " bytes, expected " + SECRET_BYTES
                    + " (" + HOW_TO_GENERATE + ")");
            return Optional.empty();
        }
        return bytes;
    }

    private Optional<String> holding(ConfigPath at, String source, String pem, PemContent content) {
        if (content.foundIn(pem)) {
            return Optional.of(pem);
        }
        diagnostics.problem(at, source + "holds no " + content.description().replaceFirst("^a ", "")
                + " (expected a -----BEGIN …----- block)");
        return Optional.empty();
    }

    /** The text of the file at {@code pathText}, recorded as read; a problem at {@code at} when it cannot be. */
    public Optional<String> readFile(ConfigPath at, String pathText) {
        filesRead.add(pathText);
        try {
            Path path = Path.of(pathText);
            if (Files.isDirectory(path)) {
                diagnostics.problem(at, quote(pathText) + " is a directory, expected a file");
                return Optional.empty();
            }
            return Optional.of(Files.readString(path, UTF_8));
        } catch (NoSuchFileException e) {
            diagnostics.problem(at, quote(pathText) + ": no such file");
        } catch (AccessDeniedException e) {
            diagnostics.problem(at, quote(pathText) + " " + UnreadableFile.cannotBeRead(pathText));
        } catch (CharacterCodingException e) {
            diagnostics.problem(at, quote(pathText) + " is not text (expected PEM or base64)");
        } catch (IOException | InvalidPathException e) {
            diagnostics.problem(at, quote(pathText) + " cannot be read: " + e.getMessage());
        }
        return Optional.empty();
    }

    private static boolean looksLikePath(String value) {
        return value.startsWith("/") && value.indexOf('.') > 0 || value.startsWith("./") || value.startsWith("../");
    }

    private static boolean isFile(String value) {
        try {
            return Files.isRegularFile(Path.of(value));
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
