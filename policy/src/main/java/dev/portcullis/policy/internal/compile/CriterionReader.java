package dev.portcullis.policy.internal.compile;

import static dev.portcullis.policy.internal.compile.Problems.key;

import dev.portcullis.policy.internal.criteria.AuthenticatedUserCriterion;
import dev.portcullis.policy.internal.criteria.ClaimCriterion;
import dev.portcullis.policy.internal.criteria.ConstantCriterion;
import dev.portcullis.policy.internal.criteria.CorsPreflightCriterion;
import dev.portcullis.policy.internal.criteria.GroupsCriterion;
import dev.portcullis.policy.internal.criteria.HttpCriterion;
import dev.portcullis.policy.internal.criteria.IdentityStringCriterion;
import dev.portcullis.policy.internal.criteria.InvalidClientCertificateCriterion;
import dev.portcullis.policy.internal.eval.Condition;
import dev.portcullis.policy.internal.match.ClaimPath;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one criterion, {@code name[/sub-path]: value}, of those COMPAT.md lists. Pomerium's older plural
 * spellings ({@code emails}, {@code users}, {@code domains}, {@code claims/…}) are accepted as aliases.
 */
final class CriterionReader {

    /** The criteria a policy may use, for spelling suggestions. */
    static final List<String> NAMES = List.of("accept", "reject", "authenticated_user", "user", "email", "domain",
            "groups", "claim", "http_method", "http_path", "cors_preflight", "source_ip", "client_certificate",
            "invalid_client_certificate", "date", "day_of_week", "time_of_day");

    private static final Map<String, String> ALIASES =
            Map.of("users", "user", "emails", "email", "domains", "domain", "claims", "claim");

    private static final Map<String, String> UNSUPPORTED = Map.of(
            "pomerium_routes", "pomerium_routes is not supported: Pomerium withdrew this criterion for security"
                    + " reasons; the proxy answers its own /.pomerium/ paths before any route policy, so remove it",
            "device", "device is not supported: Portcullis has no device identity (WebAuthn) enrolment",
            "record", "record is not supported: external data sources are a Pomerium Enterprise feature",
            "mcp_tool", "mcp_tool is not supported: Portcullis does not serve MCP routes",
            "ssh_username", "ssh_username is not supported: Portcullis does not serve SSH routes",
            "ssh_publickey", "ssh_publickey is not supported: Portcullis does not serve SSH routes");

    private final Problems problems;
    private final MatcherReader matchers;
    private final TimeCriteriaReader times;
    private final ConnectionCriteriaReader connections;

    CriterionReader(Problems problems) {
        this.problems = problems;
        this.matchers = new MatcherReader(problems);
        this.times = new TimeCriteriaReader(problems);
        this.connections = new ConnectionCriteriaReader(problems, matchers);
    }

    /**
     * @param written the key as written, e.g. {@code email} or {@code claim/groups}
     * @param value   its value
     * @param path    the YAML path of the list item holding the criterion
     */
    Optional<Condition> read(String written, Object value, String path) {
        int slash = written.indexOf('/');
        String name = slash < 0 ? written : written.substring(0, slash);
        name = ALIASES.getOrDefault(name, name);
        String subPath = slash < 0 ? null : written.substring(slash + 1);
        String valuePath = key(path, written);
        if (UNSUPPORTED.containsKey(name)) {
            problems.add(path, UNSUPPORTED.get(name));
            return Optional.empty();
        }
        if (!NAMES.contains(name)) {
            problems.add(path, "unknown criterion \"" + written + "\"" + Spelling.didYouMean(name, NAMES));
            return Optional.empty();
        }
        if (name.equals("claim")) {
            return claim(subPath, value, path, valuePath);
        }
        if (subPath != null) {
            problems.add(path, "\"" + written + "\": " + name + " takes no sub-path (only claim/<name> does)");
            return Optional.empty();
        }
        return read(name, value, path, valuePath);
    }

    private Optional<Condition> read(String name, Object value, String path, String valuePath) {
        return switch (name) {
            case "accept" -> flag(name, value, valuePath, ConstantCriterion.accept(path));
            case "reject" -> flag(name, value, valuePath, ConstantCriterion.reject(path));
            case "authenticated_user" -> flag(name, value, valuePath, new AuthenticatedUserCriterion(path));
            case "cors_preflight" -> flag(name, value, valuePath, new CorsPreflightCriterion(path));
            case "invalid_client_certificate" -> flag(name, value, valuePath, new InvalidClientCertificateCriterion(path));
            case "user" -> identity(IdentityStringCriterion.Field.USER, value, path, valuePath);
            case "email" -> identity(IdentityStringCriterion.Field.EMAIL, value, path, valuePath);
            case "domain" -> identity(IdentityStringCriterion.Field.DOMAIN, value, path, valuePath);
            case "groups" -> matchers.list(value, valuePath).map(m -> new GroupsCriterion(path, m));
            case "http_method" -> http(HttpCriterion.Part.METHOD, value, path, valuePath);
            case "http_path" -> http(HttpCriterion.Part.PATH, value, path, valuePath);
            case "source_ip" -> connections.sourceIp(path, value, valuePath);
            case "client_certificate" -> connections.clientCertificate(path, value, valuePath);
            case "date" -> times.date(path, value, valuePath);
            case "day_of_week" -> times.dayOfWeek(path, value, valuePath);
            case "time_of_day" -> times.timeOfDay(path, value, valuePath);
            default -> throw new IllegalStateException("criterion without a reader: " + name);
        };
    }

    /**
     * Criteria whose value Pomerium ignores ({@code accept: true}). {@code false} is refused: it reads as
     * "off" but would still match.
     */
    private Optional<Condition> flag(String name, Object value, String valuePath, Condition criterion) {
        if (Boolean.FALSE.equals(value)) {
            problems.add(valuePath, name + ": false would still match, because the value is ignored (as in"
                    + " Pomerium); remove the criterion instead");
            return Optional.empty();
        }
        return Optional.of(criterion);
    }

    private Optional<Condition> identity(IdentityStringCriterion.Field field, Object value, String path,
            String valuePath) {
        return matchers.string(value, valuePath).map(m -> new IdentityStringCriterion(path, field, m));
    }

    private Optional<Condition> http(HttpCriterion.Part part, Object value, String path, String valuePath) {
        return matchers.string(value, valuePath).map(m -> new HttpCriterion(path, part, m));
    }

    private Optional<Condition> claim(String subPath, Object value, String path, String valuePath) {
        if (subPath == null || subPath.isEmpty()) {
            problems.add(path, "claim needs the claim's name after a slash, e.g. claim/family_name or claim/org/team");
            return Optional.empty();
        }
        ClaimPath claim = new ClaimPath(subPath);
        return matchers.list(value, valuePath).map(m -> new ClaimCriterion(path, claim, m));
    }
}
