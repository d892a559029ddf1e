package dev.portcullis.proxy.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pages' JSON is what an {@code ObjectMapper} wrote for the same values, without one. */
class CompactJsonTest {
    @Test
    void theSameTextAsAnObjectMapperForEveryKindOfJsonValue() throws Exception {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "alice");
        claims.put("exp", 1_900_000_000L);
        claims.put("ratio", 0.25);
        claims.put("verified", true);
        claims.put("groups", List.of("family", "admins \"all\""));
        claims.put("address", Map.of("country", "CH"));
        claims.put("nothing", null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", 403);
        body.put("error", "forbidden");
        body.put("message", "a line\nwith \"quotes\", \\, \u0001, é, 日本, 😀 and </script>");
        body.put("reasons", List.of("email-unauthorized"));
        body.put("empty", List.of());
        body.put("claims", claims);
        body.put("big", new BigDecimal("12345678901234567890.5"));
        body.put("array", new String[] {"a", "b"});
        body.put("request_id", null);
        ObjectMapper mapper = new ObjectMapper();
        assertThat(CompactJson.text(body)).isEqualTo(mapper.writeValueAsString(body));
        assertThat(CompactJson.bytes(body)).isEqualTo(mapper.writeValueAsBytes(body));
        for (Object value : Arrays.asList("text", 7, 7L, 1.5, false, null, List.of(1, 2))) {
            assertThat(CompactJson.text(value)).isEqualTo(mapper.writeValueAsString(value));
        }
    }

    @Test
    void whatIsNotAJsonValueIsRefused() {
        assertThatThrownBy(() -> CompactJson.text(Map.of("when", Instant.EPOCH)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.time.Instant");
        assertThatThrownBy(() -> CompactJson.bytes(List.of(Optional.empty())))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
