package dev.portcullis.config.catalogue;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every option Pomerium accepts, top-level or per route and in any of its spellings over time
 * ({@code pomerium-options.txt}, taken from Pomerium's source at c8ace109), is in the catalogue: acted
 * on, warned about as having no effect, or refused. None is silently ignored as an unknown key.
 */
class PomeriumOptionsTest {

    /**
     * Keys that other parts of issue 14 implement on their own branches; each must leave this list when
     * its branch is merged (the second test fails until it does).
     */
    private record PomeriumKey(OptionScope scope, String key) {}

    private static List<PomeriumKey> pomeriumKeys() throws IOException {
        try (InputStream in = PomeriumOptionsTest.class.getResourceAsStream("/pomerium-options.txt")) {
            return new String(in.readAllBytes(), UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> l.split(" "))
                    .map(p -> new PomeriumKey(p[0].equals("top") ? OptionScope.TOP_LEVEL : OptionScope.ROUTE, p[1]))
                    .toList();
        }
    }

    @Test
    void everyOptionPomeriumAcceptsIsCatalogued() throws IOException {
        List<PomeriumKey> keys = pomeriumKeys();
        assertThat(keys).hasSizeGreaterThan(250);
        List<PomeriumKey> missing = keys.stream()
                .filter(k -> OptionCatalogue.find(k.scope(), k.key()).isEmpty())
                .toList();
        assertThat(missing).as("Pomerium options the catalogue does not know").isEmpty();
    }

}
