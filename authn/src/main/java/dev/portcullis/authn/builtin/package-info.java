/**
 * The built-in identity provider: users kept in a YAML file beside the configuration, Argon2id
 * passwords, optional TOTP codes, guessing slowed per account and per client address, all behind the
 * same {@link dev.portcullis.authn.idp.IdentityProvider} interface as external providers.
 *
 * <p>The users file ({@code builtin_users_file}), written by {@code portcullis users add|invite|list|remove|passwd}
 * and by the proxy when an invitation is accepted:
 * <pre>{@code
 * # Portcullis built-in users. Manage with: portcullis users add|list|remove|passwd
 * users:
 *   - email: alice@example.com          # required, unique (case-insensitive); the user id is it lower-cased
 *     name: Alice                       # optional display name
 *     groups: [family, admins]          # optional, for policies' groups
 *     password: $argon2id$v=19$m=19456,t=2,p=1$...$...   # optional PHC string (PasswordHasher); without it
 *                                       # the user signs in with passkeys only, never with a password
 *     totp: JBSWY3DPEHPK3PXP            # optional base32 secret: a 6-digit code is asked after the password
 * }</pre>
 * No other keys are allowed, and a password given must be an Argon2id hash; a malformed file is refused
 * with its path, line and YAML path ({@code users.yaml:7: users[2].email: missing}). Rewriting the file
 * keeps its leading comment lines, not comments elsewhere. Every change goes through
 * {@link dev.portcullis.authn.builtin.UsersFile#update}, so concurrent writers keep each other's changes.
 */
package dev.portcullis.authn.builtin;
