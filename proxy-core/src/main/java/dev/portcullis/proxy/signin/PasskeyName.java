package dev.portcullis.proxy.signin;

import dev.portcullis.proxy.pages.PasskeysSection;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The name a person gives a passkey ("Phone"), as it is kept: without control or formatting characters (which could
 * forge log lines or rewrite an administrator's terminal in {@code portcullis users list}), trimmed, and at most
 * {@link PasskeysSection#MAX_NAME_CHARS} characters; a passkey given no name is named after the day it was added.
 */
final class PasskeyName {
    private PasskeyName() {}

    /** The name typed, as kept; empty when nothing printable was typed. */
    static Optional<String> typed(Optional<String> typed) {
        return typed.map(PasskeyName::printable).map(String::strip)
                .map(n -> n.length() > PasskeysSection.MAX_NAME_CHARS ? n.substring(0, PasskeysSection.MAX_NAME_CHARS).strip() : n)
                .filter(n -> !n.isEmpty());
    }

    /** The name typed, or the name of a passkey added at {@code now} without one. */
    static String typedOr(Optional<String> typed, Instant now) {
        return typed(typed).orElseGet(() -> "Passkey added " + now.atOffset(ZoneOffset.UTC).toLocalDate());
    }

    /** {@code text} without control and formatting characters (line breaks, escapes, bidirectional overrides). */
    static String printable(String text) {
        return text.codePoints().filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
