package dev.portcullis.proxy.pages;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The "Passkeys" part of a built-in user's page ({@code /.pomerium/}). Passkeys belong to the authenticate host (the
 * relying party), so they are listed and changed on its page ({@link Managed}); a route host's page leads there
 * ({@link Elsewhere}).
 */
public sealed interface PasskeysSection {

    /** Where the forms of {@link Managed} post to, on the authenticate host. */
    String OPTIONS_PATH = "/.pomerium/builtin/passkeys/options";
    String ADD_PATH = "/.pomerium/builtin/passkeys/add";
    String RENAME_PATH = "/.pomerium/builtin/passkeys/rename";
    String REMOVE_PATH = "/.pomerium/builtin/passkeys/remove";
    /** The query parameter that asks the authenticate host's page to start adding a passkey at once. */
    String ADD_PARAMETER = "passkey";
    /** The longest name a passkey may have. */
    int MAX_NAME_CHARS = 64;

    /** One passkey as the page shows it. */
    record Entry(String id, String name, Instant created, Optional<Instant> lastUsed) {
        public Entry {
            requireNonNull(id, "id");
            requireNonNull(name, "name");
            requireNonNull(created, "created");
            requireNonNull(lastUsed, "lastUsed");
        }
    }

    /**
     * The user's passkeys, each with a rename and a remove form, and "Add a passkey".
     *
     * @param passkeys  oldest first
     * @param notice    what the last change did, shown above the list, or empty
     * @param autostart start adding a passkey as the page loads (the route host's "Add a passkey" link)
     */
    record Managed(List<Entry> passkeys, Optional<String> notice, boolean autostart) implements PasskeysSection {
        public Managed {
            passkeys = List.copyOf(requireNonNull(passkeys, "passkeys"));
            requireNonNull(notice, "notice");
        }

        @Override
        public void appendHtml(StringBuilder main, Instant now) {
            main.append("<section id=\"passkeys\"><h2>Passkeys</h2>");
            notice.ifPresent(text -> main.append("<p class=\"notice\" role=\"status\">").append(PageLayout.escape(text))
                    .append("</p>"));
            main.append("<p class=\"muted\">Sign in with your fingerprint, face or screen lock instead of a password.</p>");
            if (passkeys.isEmpty()) {
                main.append("<p>You have no passkeys yet.</p>");
            } else {
                main.append("<table class=\"passkeys\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Added</th>"
                        + "<th scope=\"col\">Last used</th><th scope=\"col\"><span class=\"muted\">Remove</span></th>"
                        + "</tr></thead><tbody>");
                for (Entry passkey : passkeys) {
                    String id = PageLayout.escape(passkey.id());
                    main.append("<tr><td><form class=\"inline\" method=\"post\" action=\"").append(RENAME_PATH).append("\">")
                            .append("<input type=\"hidden\" name=\"id\" value=\"").append(id).append("\"/>")
                            .append("<input name=\"name\" maxlength=\"").append(MAX_NAME_CHARS).append("\" value=\"")
                            .append(PageLayout.escape(passkey.name())).append("\" aria-label=\"Name of the passkey\"/>")
                            .append("<button type=\"submit\" class=\"secondary\">Rename</button></form></td><td>")
                            .append(RelativeTime.describe(passkey.created(), now)).append("</td><td>")
                            .append(passkey.lastUsed().map(t -> RelativeTime.describe(t, now)).orElse("never"))
                            .append("</td><td><form method=\"post\" action=\"").append(REMOVE_PATH).append("\">")
                            .append("<input type=\"hidden\" name=\"id\" value=\"").append(id).append("\"/>")
                            .append("<button type=\"submit\" class=\"secondary\" aria-label=\"Remove ")
                            .append(PageLayout.escape(passkey.name())).append("\">Remove</button></form></td></tr>");
                }
                main.append("</tbody></table>");
            }
            main.append("<form class=\"passkey-register fields\" method=\"post\" action=\"").append(ADD_PATH)
                    .append("\" data-options-url=\"").append(OPTIONS_PATH).append("\" data-autostart=\"").append(autostart)
                    .append("\"><label for=\"passkey-name\">Name for a new passkey")
                    .append("<input id=\"passkey-name\" name=\"name\" maxlength=\"").append(MAX_NAME_CHARS)
                    .append("\" placeholder=\"e.g. Phone\" autocomplete=\"off\"/></label>")
                    .append("<input type=\"hidden\" name=\"ceremony\" value=\"\"/>")
                    .append("<input type=\"hidden\" name=\"credential\" value=\"\"/>")
                    .append("<button type=\"button\" class=\"passkey-start\">Add a passkey</button>")
                    .append("<p class=\"passkey-message message\" role=\"alert\" hidden=\"hidden\"></p></form></section>");
        }

        @Override
        public boolean needsScript() {
            return true;
        }

        @Override
        public Object json() {
            return passkeys.stream().map(passkey -> {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("id", passkey.id());
                entry.put("name", passkey.name());
                entry.put("created_at", passkey.created().toString());
                entry.put("last_used_at", passkey.lastUsed().map(Instant::toString).orElse(null));
                return entry;
            }).toList();
        }
    }

    /**
     * A route host's page: passkeys are kept on the authenticate host, whose page this links to.
     *
     * @param userPage the authenticate host's {@code /.pomerium/}
     */
    record Elsewhere(URI userPage) implements PasskeysSection {
        public Elsewhere {
            requireNonNull(userPage, "userPage");
        }

        @Override
        public void appendHtml(StringBuilder main, Instant now) {
            String page = PageLayout.escape(PageLayout.checkedLinkTarget(userPage.toString()));
            // a form, so that "Add a passkey" is a button here too; it opens that page, which starts at once
            main.append("<section id=\"passkeys\"><h2>Passkeys</h2><p>Your passkeys are kept by the sign-in page on <strong>")
                    .append(PageLayout.escape(userPage.getRawAuthority())).append("</strong>.</p><div class=\"actions\">")
                    .append("<form method=\"get\" action=\"").append(page).append("\">")
                    .append("<input type=\"hidden\" name=\"").append(ADD_PARAMETER).append("\" value=\"add\"/>")
                    .append("<button type=\"submit\">Add a passkey</button></form>")
                    .append("<a class=\"button secondary\" href=\"").append(page).append("#passkeys\">")
                    .append("Manage passkeys</a></div></section>");
        }

        @Override
        public boolean needsScript() {
            return false;
        }

        @Override
        public Object json() {
            return Map.of("manage_at", userPage.toString());
        }
    }

    /** Appends the section's HTML, with times relative to {@code now}. */
    void appendHtml(StringBuilder main, Instant now);

    /** Whether the page must carry {@link PasskeyScript}. */
    boolean needsScript();

    /** What the page's JSON form carries under {@code passkeys}. */
    Object json();
}
