package dev.portcullis.config.internal.routes;

import dev.portcullis.config.internal.value.CollectionReader;
import dev.portcullis.config.internal.value.Setting;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads an {@code allowed_idp_claims} map: claim name → accepted values; one value may be written without a list. */
final class AllowedClaimsReader {

    private final CollectionReader collections;

    AllowedClaimsReader(CollectionReader collections) {
        this.collections = collections;
    }

    Map<String, List<String>> read(Setting s) {
        Map<String, List<String>> claims = new LinkedHashMap<>();
        collections.map(s).ifPresent(map -> map.forEach((claim, values) -> {
            if (values != null) {
                collections.list(new Setting(s.at().key(claim), values)).ifPresent(v -> claims.put(claim, v));
            }
        }));
        return claims;
    }
}
