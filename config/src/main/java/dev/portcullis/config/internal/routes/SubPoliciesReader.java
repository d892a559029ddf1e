package dev.portcullis.config.internal.routes;

import static dev.portcullis.config.internal.value.ValueText.describe;

import dev.portcullis.config.internal.source.NearestKey;
import dev.portcullis.config.internal.value.CollectionReader;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import dev.portcullis.policy.LegacyRules.SubPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a route's {@code sub_policies} (older Pomerium, config/policy.go {@code SubPolicy}): each entry's
 * {@code allowed_users}, {@code allowed_domains}, {@code allowed_groups} and {@code allowed_idp_claims} let
 * more people in, as Pomerium adds them to the route's allow rule. {@code id}, {@code name},
 * {@code explanation} and {@code remediation} only label Pomerium's Rego results and are ignored;
 * {@code source_ppl} is ignored, as Pomerium ignores it when reading a file (a warning says so); {@code rego}
 * is refused, because custom Rego can deny and Portcullis cannot evaluate it.
 */
final class SubPoliciesReader {

    private static final List<String> KEYS = List.of("id", "name", "allowed_users", "allowed_domains",
            "allowed_groups", "allowed_idp_claims", "rego", "source_ppl", "explanation", "remediation");

    private final CollectionReader collections;
    private final AllowedClaimsReader claims;
    private final Diagnostics diagnostics;

    SubPoliciesReader(ValueReaders readers) {
        this.collections = readers.collections();
        this.claims = new AllowedClaimsReader(readers.collections());
        this.diagnostics = readers.diagnostics();
    }

    List<SubPolicy> read(Setting s) {
        Object value = collections.structure(s).orElse(null);
        if (!(value instanceof List<?> entries)) {
            diagnostics.problem(s.at(), "expected a list of sub-policies ({allowed_users: […], allowed_domains: […],"
                    + " allowed_idp_claims: {…}}), found " + describe(value));
            return List.of();
        }
        List<SubPolicy> read = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Object entry = entries.get(i);
            if (entry instanceof Map<?, ?> map) {
                entry(SettingMap.ofYaml(s.at().index(i), map)).ifPresent(read::add);
            } else {
                diagnostics.problem(s.at().index(i), "expected a sub-policy (a map with allowed_users, allowed_domains,"
                        + " allowed_idp_claims), found " + describe(entry));
            }
        }
        return read;
    }

    private Optional<SubPolicy> entry(SettingMap entry) {
        for (String key : entry.keys()) {
            if (!KEYS.contains(key)) {
                diagnostics.warning(entry.at() + ": unknown sub-policy option \"" + key + "\""
                        + NearestKey.to(key, KEYS).map(near -> " (did you mean \"" + near + "\"?)").orElse("")
                        + "; it is ignored");
            }
        }
        entry.get("rego").ifPresent(rego -> diagnostics.problem(rego.at(), "custom Rego is not supported:"
                + " Portcullis cannot evaluate it, and ignoring it could let in someone it denies; write the rule"
                + " in the route's policy: (allow/deny) instead"));
        entry.get("source_ppl").ifPresent(ppl -> diagnostics.warning(ppl.at() + ": has no effect, as in Pomerium"
                + " when read from a file; write the rule in the route's policy: instead"));
        return Optional.of(new SubPolicy(list(entry, "allowed_users"), list(entry, "allowed_domains"),
                list(entry, "allowed_groups"), entry.get("allowed_idp_claims").map(claims::read).orElse(Map.of())));
    }

    private List<String> list(SettingMap entry, String key) {
        return entry.get(key).flatMap(collections::list).orElse(List.of());
    }
}
