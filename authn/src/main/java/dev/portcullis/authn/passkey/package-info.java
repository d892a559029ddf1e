/**
 * Passkeys (WebAuthn Level 2/3 discoverable credentials) of the built-in users: the credentials kept in
 * a file of their own beside the users file ({@link dev.portcullis.authn.passkey.PasskeyStore}), the
 * registration and authentication ceremonies on webauthn4j ({@link dev.portcullis.authn.passkey.PasskeyRegistration},
 * {@link dev.portcullis.authn.passkey.PasskeySignIn}) and the option documents the browser's
 * {@code navigator.credentials} calls take ({@link dev.portcullis.authn.passkey.PasskeyOptions}).
 */
package dev.portcullis.authn.passkey;
