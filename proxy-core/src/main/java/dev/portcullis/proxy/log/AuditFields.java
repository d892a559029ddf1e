package dev.portcullis.proxy.log;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of one audit event, in the order they were added, each with its JSON type: strings (null is JSON's
 * {@code null}), whole numbers, booleans and lists of strings. {@link AuditLog} adds each name once, {@code event}
 * first.
 */
final class AuditFields extends LineFields {
    private static final String NAME = "AUDIT_EVENT";

    private final List<Field> fields = new ArrayList<>(8);

    private AuditFields() {
        super(NAME);
    }

    /** The fields of the event {@code name}, which is the first field, {@code event}. */
    static AuditFields event(String name) {
        return new AuditFields().text("event", requireNonNull(name, "name"));
    }

    AuditFields text(String name, String value) {
        fields.add(new Field(name, value));
        return this;
    }

    AuditFields number(String name, long value) {
        fields.add(new Field(name, value));
        return this;
    }

    AuditFields flag(String name, boolean value) {
        fields.add(new Field(name, value));
        return this;
    }

    AuditFields texts(String name, List<String> values) {
        fields.add(new Field(name, List.copyOf(values)));
        return this;
    }

    @Override
    void visit(FieldVisitor visitor) throws IOException {
        for (Field field : fields) {
            Object value = field.value();
            if (value instanceof Long number) {
                visitor.number(field.name(), number);
            } else if (value instanceof Boolean flag) {
                visitor.flag(field.name(), flag);
            } else if (value instanceof List<?> list) {
                @SuppressWarnings("unchecked") // texts(…) is the only way a list gets in
                List<String> texts = (List<String>) list;
                visitor.texts(field.name(), texts);
            } else {
                visitor.text(field.name(), (String) value);
            }
        }
    }

    /** One field: a String (or null), a Long, a Boolean or an immutable List of Strings. */
    private record Field(String name, Object value) {
        Field {
            requireNonNull(name, "name");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AuditFields that && super.equals(that) && fields.equals(that.fields);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + fields.hashCode();
    }
}
