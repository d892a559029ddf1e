package dev.portcullis.policy.internal.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Pomerium's reason words. Declared in alphabetical order of the word, so a set of reasons read by
 * ordinal comes out sorted as Pomerium prints them. At most 32, as a set is a bit mask (see {@link Verdict}).
 */
public enum Reason {
    ACCEPT("accept"),
    CLAIM_OK("claim-ok"),
    CLAIM_UNAUTHORIZED("claim-unauthorized"),
    CLIENT_CERTIFICATE_OK("client-certificate-ok"),
    CLIENT_CERTIFICATE_REQUIRED("client-certificate-required"),
    CLIENT_CERTIFICATE_UNAUTHORIZED("client-certificate-unauthorized"),
    CORS_REQUEST("cors-request"),
    DATE_OK("date-ok"),
    DATE_UNAUTHORIZED("date-unauthorized"),
    DAY_OF_WEEK_OK("day-of-week-ok"),
    DAY_OF_WEEK_UNAUTHORIZED("day-of-week-unauthorized"),
    DOMAIN_OK("domain-ok"),
    DOMAIN_UNAUTHORIZED("domain-unauthorized"),
    EMAIL_OK("email-ok"),
    EMAIL_UNAUTHORIZED("email-unauthorized"),
    GROUPS_OK("groups-ok"),
    GROUPS_UNAUTHORIZED("groups-unauthorized"),
    HTTP_METHOD_OK("http-method-ok"),
    HTTP_METHOD_UNAUTHORIZED("http-method-unauthorized"),
    HTTP_PATH_OK("http-path-ok"),
    HTTP_PATH_UNAUTHORIZED("http-path-unauthorized"),
    INVALID_CLIENT_CERTIFICATE("invalid-client-certificate"),
    NON_CORS_REQUEST("non-cors-request"),
    REJECT("reject"),
    SOURCE_IP_OK("source-ip-ok"),
    SOURCE_IP_UNAUTHORIZED("source-ip-unauthorized"),
    TIME_OF_DAY_OK("time-of-day-ok"),
    TIME_OF_DAY_UNAUTHORIZED("time-of-day-unauthorized"),
    USER_OK("user-ok"),
    USER_UNAUTHENTICATED("user-unauthenticated"),
    USER_UNAUTHORIZED("user-unauthorized"),
    VALID_CLIENT_CERTIFICATE("valid-client-certificate");

    private static final Reason[] ALL = values();
    private static final List<List<String>> SINGLE = singles();

    private final String word;

    Reason(String word) {
        this.word = word;
    }

    /** The word as Pomerium writes it, e.g. {@code email-ok}. */
    public String word() {
        return word;
    }

    /** This reason alone, as a set. */
    public long bit() {
        return 1L << ordinal();
    }

    /** The words of a reason set, sorted; shares one list per single reason. */
    public static List<String> words(long set) {
        if (Long.bitCount(set) == 1) {
            return SINGLE.get(Long.numberOfTrailingZeros(set));
        }
        List<String> words = new ArrayList<>(Long.bitCount(set));
        for (long rest = set; rest != 0; rest &= rest - 1) {
            words.add(ALL[Long.numberOfTrailingZeros(rest)].word);
        }
        return List.copyOf(words);
    }

    private static List<List<String>> singles() {
        List<List<String>> singles = new ArrayList<>();
        for (Reason r : values()) {
            singles.add(List.of(r.word));
        }
        return List.copyOf(singles);
    }
}
