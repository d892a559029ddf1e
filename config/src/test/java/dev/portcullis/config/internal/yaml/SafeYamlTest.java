package dev.portcullis.config.internal.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SafeYamlTest {

    @Test
    void scalarsStayAsWrittenExceptBooleansNullsAndDecimalNumbers() throws YamlSyntaxException {
        Object parsed = SafeYaml.parse("""
                date: 2024-01-01T00:00:00Z
                octal: 0123
                hex: 0x1F
                sexagesimal: 1:30
                int: 42
                float: 1.2
                yes: yes
                none: ~
                """);
        assertThat(parsed).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("date", "2024-01-01T00:00:00Z")
                .containsEntry("octal", "0123")
                .containsEntry("hex", "0x1F")
                .containsEntry("sexagesimal", "1:30")
                .containsEntry("int", 42)
                .containsEntry("float", 1.2)
                .containsEntry(true, true)
                .containsEntry("none", null);
    }

    @Test
    void refusesArbitraryTypesAndDuplicateKeys() {
        assertThatThrownBy(() -> SafeYaml.parse("x: !!java.io.File /etc/passwd\n")).isInstanceOf(YamlSyntaxException.class);
        assertThatThrownBy(() -> SafeYaml.parse("a: 1\na: 2\n"))
                .isInstanceOf(YamlSyntaxException.class)
                .hasMessageContaining("duplicate key a");
    }

    @Test
    void reportsLineAndColumn() {
        assertThatThrownBy(() -> SafeYaml.parse("a: [1, 2\nb: 3\n"))
                .isInstanceOfSatisfying(YamlSyntaxException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isPositive();
                    assertThat(e.getMessage()).startsWith("line 2, column ");
                });
    }

    @Test
    void emptyTextIsNothing() throws YamlSyntaxException {
        assertThat(SafeYaml.parse("")).isNull();
        assertThat(SafeYaml.parse("[a, {b: c}]")).isEqualTo(List.of("a", Map.of("b", "c")));
    }
}
