package dev.portcullis.proxy.pages;

import dev.portcullis.proxy.digest.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The one script of the proxy's pages: the browser half of the passkey ceremonies ({@code passkeys.js} beside this
 * class). Pages that offer passkeys carry it inline and answer with {@link #CONTENT_SECURITY_POLICY}, which allows
 * exactly this script by its SHA-256 and nothing else, and lets it fetch from its own origin only. Every other page
 * keeps the policy that allows no script at all.
 *
 * <p>The script acts on forms by their class, with its data in {@code data-} attributes (escaped like any attribute):
 * {@code form.passkey-sign-in} ({@code data-options}: the request options JSON; hidden {@code credential}) and
 * {@code form.passkey-register} ({@code data-options-url}, inputs marked {@code data-options-field} posted there,
 * {@code data-autostart}; hidden {@code ceremony} and {@code credential}). Each form has a
 * {@code button.passkey-start} and a {@code p.passkey-message}. Without the script (or without WebAuthn in the
 * browser) the sign-in button stays hidden and the rest of the page works as before. The script is read from the
 * class path once, by {@link #load()}, never on an event loop.
 */
public final class PasskeyScript {
    /** The element, in a CDATA section so that the page stays well-formed XML. */
    static final String ELEMENT;
    /** The pages' usual policy, plus this script (by hash) and fetching from the page's own origin. */
    static final String CONTENT_SECURITY_POLICY;

    static {
        String script;
        try (InputStream in = PasskeyScript.class.getResourceAsStream("passkeys.js")) {
            if (in == null) {
                throw new IllegalStateException("passkeys.js is missing beside " + PasskeyScript.class.getName());
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (script.contains("]]>") || script.contains("</script")) {
            throw new IllegalStateException("passkeys.js must not contain ]]> or </script");
        }
        String text = "//<![CDATA[\n" + script + "//]]>";
        String hash = Base64.getEncoder().encodeToString(Sha256.of(text.getBytes(StandardCharsets.UTF_8)));
        ELEMENT = "<script>" + text + "</script>";
        CONTENT_SECURITY_POLICY = PageResponse.CONTENT_SECURITY_POLICY + "; script-src 'sha256-" + hash
                + "'; connect-src 'self'";
    }

    private PasskeyScript() {}

    /**
     * Reads the script now, if not yet: called where the built-in provider is set up, so that the first page that
     * carries it never reads a file on an event loop.
     */
    public static void load() {
        // the static initializer has run by the time this returns
    }
}
