package dev.portcullis.config.internal.value;

import dev.portcullis.config.catalogue.OptionCatalogue;
import dev.portcullis.config.catalogue.OptionKey;
import dev.portcullis.config.catalogue.OptionScope;
import dev.portcullis.config.catalogue.OptionStatus;
import java.util.Set;

/**
 * Validates a value by the {@link dev.portcullis.config.catalogue.ValueKind} its key has in the
 * catalogue. Used for keys that are accepted but not acted on yet, so that a configuration that loads
 * today still loads when they are implemented.
 */
public final class KindCheck {

    private final ValueReaders readers;

    public KindCheck(ValueReaders readers) {
        this.readers = readers;
    }

    /** Checks every key of {@code map} that is accepted but not yet implemented. */
    public void checkAccepted(OptionScope scope, SettingMap map) {
        checkAccepted(scope, map, Set.of());
    }

    /**
     * Checks every key of {@code map} that is accepted but not yet implemented, except {@code readElsewhere}: keys
     * whose reader validates them more closely, so that one mistake is not reported twice.
     */
    public void checkAccepted(OptionScope scope, SettingMap map, Set<String> readElsewhere) {
        for (String key : map.keys()) {
            if (readElsewhere.contains(key)) {
                continue;
            }
            OptionCatalogue.find(scope, key)
                    .filter(k -> k.status() == OptionStatus.ACCEPTED)
                    .ifPresent(k -> map.get(key).ifPresent(s -> check(k, s)));
        }
    }

    /** Reports a problem when {@code s} is not a valid value for {@code key}. */
    public void check(OptionKey key, Setting s) {
        ScalarReader scalars = readers.scalars();
        CollectionReader collections = readers.collections();
        MaterialReader materials = readers.materials();
        switch (key.kind()) {
            case STRING -> scalars.text(s);
            case BOOLEAN -> scalars.bool(s);
            case DURATION -> scalars.duration(s);
            case INTEGER -> scalars.integer(s, 0, Integer.MAX_VALUE);
            case NUMBER -> scalars.number(s);
            case URL -> scalars.httpUrl(s);
            case ADDRESS -> scalars.address(s);
            case CHOICE -> scalars.choice(s, key.choices());
            case LIST -> collections.list(s);
            case MAP -> collections.stringMap(s);
            case LIST_OR_MAP -> collections.listOrMap(s);
            case STRUCTURE -> collections.structure(s);
            case PEM -> materials.pem(s, PemContent.ANY);
            case FILE -> materials.fileText(s);
            case SECRET -> materials.secret(s);
            case ROUTES, SECTION -> {
                // read by the code that uses them: the route list reader, the section flattening
            }
        }
    }
}
