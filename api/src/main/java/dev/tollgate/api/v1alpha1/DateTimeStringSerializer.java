package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonFormatVisitorWrapper;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonStringFormatVisitor;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonValueFormat;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import java.io.IOException;

/**
 * Writes an RFC 3339 timestamp kept as a plain {@code String}, exactly as given.
 *
 * <p>It exists for the CRD generator, which takes {@code format: date-time} from what a serializer
 * reports to Jackson's schema visitor. Keeping the Java type a {@code String} (as Kubernetes' own
 * {@code metav1.Time} fields are in the Fabric8 model) makes round trips byte-exact, where a {@code
 * java.time} type would depend on the mapper's date settings.
 */
public final class DateTimeStringSerializer extends StdScalarSerializer<String> {

  public DateTimeStringSerializer() {
    super(String.class);
  }

  @Override
  public void serialize(String value, JsonGenerator gen, SerializerProvider provider)
      throws IOException {
    gen.writeString(value);
  }

  @Override
  public void acceptJsonFormatVisitor(JsonFormatVisitorWrapper visitor, JavaType typeHint)
      throws JsonMappingException {
    JsonStringFormatVisitor stringVisitor = visitor.expectStringFormat(typeHint);
    if (stringVisitor != null) {
      stringVisitor.format(JsonValueFormat.DATE_TIME);
    }
  }
}
