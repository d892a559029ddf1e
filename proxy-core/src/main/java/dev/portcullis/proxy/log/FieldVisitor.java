package dev.portcullis.proxy.log;

import java.io.IOException;
import java.util.List;

/**
 * Where the structured fields of one line go, one call per field in the line's order: into the JSON object
 * ({@link LineFields#writeTo}), as {@code key=value} ({@link ConsoleEncoder}) or as text ({@link LineFields#toString}).
 */
interface FieldVisitor {
    /** A string field; a null {@code value} is JSON's {@code null}. */
    void text(String name, String value) throws IOException;

    void number(String name, long value) throws IOException;

    void decimal(String name, double value) throws IOException;

    void flag(String name, boolean value) throws IOException;

    /** An array of strings. */
    void texts(String name, List<String> values) throws IOException;
}
