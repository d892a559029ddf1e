package dev.portcullis.authn.idp;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What a valid back-channel logout token asks to end: the sessions of a subject, or the sessions
 * tied to one provider session ({@code sid}). At least one is present.
 *
 * @param subject           the logout token's {@code sub}
 * @param providerSessionId the logout token's {@code sid}
 */
public record LogoutNotice(Optional<String> subject, Optional<String> providerSessionId) {

    public LogoutNotice {
        requireNonNull(subject, "subject");
        requireNonNull(providerSessionId, "providerSessionId");
        if (subject.isEmpty() && providerSessionId.isEmpty()) {
            throw new IllegalArgumentException("subject and providerSessionId both empty (expected: at least one)");
        }
    }
}
