package dev.portcullis.authn.idp;

import com.nimbusds.oauth2.sdk.token.AccessToken;
import java.util.List;

/**
 * Where a provider's group memberships come from. Most providers put them in the {@code groups}
 * claim; Azure sends them through Microsoft Graph when there are too many ({@link AzureGroupOverage}).
 * Runs on the blocking executor.
 */
@FunctionalInterface
interface GroupSource {

    /** The {@code groups} claim, when it is a list of strings. */
    GroupSource CLAIM = (claims, accessToken) -> claims.groups();

    List<String> groups(IdentityClaims claims, AccessToken accessToken);
}
