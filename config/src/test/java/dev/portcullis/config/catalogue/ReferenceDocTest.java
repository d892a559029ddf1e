package dev.portcullis.config.catalogue;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code docs/reference.md} documents every key of the catalogue, with its variable and status. */
class ReferenceDocTest {

    /** Maven runs tests in the module directory; the docs are beside it. */
    static final Path REFERENCE = Path.of("..", "docs", "reference.md");

    @Test
    void everyCatalogueKeyHasARowWithItsVariableAndStatus() throws IOException {
        List<String> lines = Files.readAllLines(REFERENCE, UTF_8);

        for (OptionKey key : OptionCatalogue.all()) {
            String section = key.scope() == OptionScope.TOP_LEVEL ? "## Top-level options" : "## Route options";
            Optional<String> row = rowOf(lines, section, key.key());
            assertThat(row).as("a row for %s under %s in %s", key.key(), section, REFERENCE).isPresent();
            assertThat(row.get()).as("environment variable of " + key.key())
                    .contains(key.environmentVariable().map(v -> "| `" + v + "` |").orElse(""));
            assertThat(row.get()).as("status of " + key.key()).endsWith("| " + key.status().label() + " |");
        }
    }

    @Test
    void theDocumentListsNoKeyTheCatalogueDoesNotKnow() throws IOException {
        List<String> lines = Files.readAllLines(REFERENCE, UTF_8);
        String section = "";
        for (String line : lines) {
            section = line.startsWith("## ") ? line : section;
            if (line.startsWith("| `")) {
                String key = line.substring(3, line.indexOf('`', 3));
                OptionScope scope = section.startsWith("## Route") ? OptionScope.ROUTE : OptionScope.TOP_LEVEL;
                assertThat(OptionCatalogue.find(scope, key)).as("%s (%s) is in the catalogue", key, section).isPresent();
            }
        }
    }

    private static Optional<String> rowOf(List<String> lines, String section, String key) {
        int start = lines.indexOf(section);
        return lines.stream().skip(Math.max(start, 0))
                .takeWhile(l -> l.equals(section) || !l.startsWith("## "))
                .filter(l -> l.startsWith("| `" + key + "` |"))
                .findFirst();
    }
}
