package dev.tollgate.engine.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The canonical JSON form of a {@link Bundle}: keys sorted at every level, two-space indented, one
 * trailing newline. The same bytes come out of the CLI and the operator.
 */
public final class BundleCodec {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  private BundleCodec() {}

  public static String toJson(Bundle bundle) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(bundle) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a bundle always serializes", e);
    }
  }

  /**
   * Reads a bundle document and checks its schema and revision.
   *
   * @throws InvalidBundleException naming what is wrong
   */
  public static Bundle fromJson(String json) throws InvalidBundleException {
    Bundle bundle;
    try {
      bundle = MAPPER.readValue(json, Bundle.class);
    } catch (JsonProcessingException e) {
      throw new InvalidBundleException("not a bundle document: " + e.getOriginalMessage());
    }
    if (bundle == null) {
      throw new InvalidBundleException("empty bundle document");
    }
    if (!Bundle.SCHEMA.equals(bundle.schema())) {
      throw new InvalidBundleException(
          "unsupported bundle schema '" + bundle.schema() + "' (expected " + Bundle.SCHEMA + ")");
    }
    if (bundle.identity() == null || bundle.rules() == null || bundle.tools() == null) {
      throw new InvalidBundleException("bundle lacks identity, tools or rules");
    }
    String expected = revisionOf(bundle);
    if (!expected.equals(bundle.revision())) {
      throw new InvalidBundleException(
          "bundle revision "
              + bundle.revision()
              + " does not match its content ("
              + expected
              + "): the document was altered or truncated");
    }
    return bundle;
  }

  /** The content hash: SHA-256 over the canonical form with an empty revision, 16 hex digits. */
  public static String revisionOf(Bundle bundle) {
    try {
      byte[] canonical = MAPPER.writeValueAsBytes(bundle.withRevision(""));
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical);
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
