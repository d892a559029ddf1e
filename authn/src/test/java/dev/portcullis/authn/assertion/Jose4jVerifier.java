package dev.portcullis.authn.assertion;

import java.time.Instant;
import java.util.Map;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.json.JsonUtil;

/** Checks an assertion the way an upstream would, with jose4j (independent of Nimbus) and the published key set. */
final class Jose4jVerifier {

    /** What the upstream saw: the protected header and the raw claims (JSON types as parsed). */
    record Verified(Map<String, Object> header, Map<String, Object> claims) {
    }

    private Jose4jVerifier() {
    }

    static Verified verify(String token, String jwksJson, String algorithm, String routeHost, Instant at) throws Exception {
        JsonWebKeySet keys = new JsonWebKeySet(jwksJson);
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(keys.getJsonWebKeys()))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, algorithm)
                .setExpectedIssuer(routeHost)
                .setExpectedAudience(routeHost)
                .setRequireSubject()
                .setRequireJwtId()
                .setRequireIssuedAt()
                .setRequireExpirationTime()
                .setEvaluationTime(NumericDate.fromMilliseconds(at.toEpochMilli()))
                .setAllowedClockSkewInSeconds(0)
                .build();
        JwtContext context = consumer.process(token);
        String headerJson = context.getJoseObjects().get(0).getHeaders().getFullHeaderAsJsonString();
        return new Verified(JsonUtil.parseJson(headerJson), JsonUtil.parseJson(context.getJwtClaims().toJson()));
    }
}
