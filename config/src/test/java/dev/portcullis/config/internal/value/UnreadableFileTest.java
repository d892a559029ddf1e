package dev.portcullis.config.internal.value;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * A file the process may not read (a root-owned 0600 secret mounted into a container running as
 * uid 65532) is one sentence that names the file, the user, and the two ways out.
 */
class UnreadableFileTest {

    @Test
    void namesTheUserAndBothFixesInOneSentence() {
        String problem = UnreadableFile.cannotBeRead("/run/secrets/cookie_secret", OptionalLong.of(65532));

        assertThat(problem).isEqualTo("cannot be read by user 65532 (permission denied): give that user read access"
                + " (\"chown 65532 /run/secrets/cookie_secret\" or, for a file that holds no secret,"
                + " \"chmod 0644 /run/secrets/cookie_secret\") or run Portcullis as a user that can read it"
                + " (docker run --user)");
        assertThat(problem).doesNotContain(". ").doesNotEndWith(".").doesNotContain("\n");
    }

    @Test
    void aPathWithSpacesIsQuotedForTheShell() {
        assertThat(UnreadableFile.cannotBeRead("/volume1/docker/my secrets/key.pem", OptionalLong.of(65532)))
                .contains("\"chown 65532 '/volume1/docker/my secrets/key.pem'\"")
                .contains("\"chmod 0644 '/volume1/docker/my secrets/key.pem'\"");
    }

    @Test
    void withoutAKnownUidItSaysWhoInWords() {
        assertThat(UnreadableFile.cannotBeRead("/x.pem", OptionalLong.empty()))
                .startsWith("cannot be read by the user this process runs as (permission denied):")
                .contains("\"chown UID /x.pem\"");
    }

    @Test
    void thisProcessIsNamedByItsUid() {
        assertThat(UnreadableFile.cannotBeRead("/x.pem")).matches("cannot be read by user \\d+ \\(permission denied\\).*");
    }
}
