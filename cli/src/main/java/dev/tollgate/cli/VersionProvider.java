package dev.tollgate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version Maven filtered into {@code tollgate-version.properties}. */
final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() throws IOException {
    Properties properties = new Properties();
    try (InputStream in =
        VersionProvider.class.getResourceAsStream("/tollgate-version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    }
    return new String[] {
      "tollgate " + properties.getProperty("version", "unknown"),
      "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "") + ")"
    };
  }
}
