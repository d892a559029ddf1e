/**
 * Invitations to the built-in provider: single-use links that let an invited person choose a password or register a
 * passkey, kept as token digests in a file beside the users file ({@link dev.portcullis.authn.invitation.Invitations}),
 * and what accepting one decides ({@link dev.portcullis.authn.invitation.InvitationAcceptance}).
 */
package dev.portcullis.authn.invitation;
