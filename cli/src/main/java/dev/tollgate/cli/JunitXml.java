package dev.tollgate.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A report in the JUnit XML form CI systems read (GitLab, Jenkins, GitHub actions): {@code
 * testsuites} of {@code testsuite}s of {@code testcase}s, each with a {@code failure} (the check
 * failed) or an {@code error} (it could not run), and counts and times in seconds.
 */
final class JunitXml {

  /** Why a case did not pass. {@code error}: it could not be checked at all. */
  record Failure(boolean error, String message, String details) {}

  /** One case; {@code failure} is null when it passed. */
  record Case(String name, String classname, Duration time, Failure failure) {}

  /** One suite; {@code file} may be empty. */
  record Suite(String name, String file, List<Case> cases) {

    Suite {
      cases = List.copyOf(cases);
    }

    long failures() {
      return cases.stream().filter(c -> c.failure() != null && !c.failure().error()).count();
    }

    long errors() {
      return cases.stream().filter(c -> c.failure() != null && c.failure().error()).count();
    }

    Duration time() {
      return cases.stream().map(Case::time).reduce(Duration.ZERO, Duration::plus);
    }
  }

  private JunitXml() {}

  static void write(String name, Instant timestamp, List<Suite> suites, Writer out) {
    try {
      Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
      Element root = xml.createElement("testsuites");
      xml.appendChild(root);
      root.setAttribute("name", name);
      counts(
          root,
          suites.stream().mapToLong(s -> s.cases().size()).sum(),
          suites.stream().mapToLong(Suite::failures).sum(),
          suites.stream().mapToLong(Suite::errors).sum(),
          suites.stream().map(Suite::time).reduce(Duration.ZERO, Duration::plus));
      for (Suite suite : suites) {
        Element element = xml.createElement("testsuite");
        root.appendChild(element);
        element.setAttribute("name", text(suite.name()));
        counts(element, suite.cases().size(), suite.failures(), suite.errors(), suite.time());
        // The schema's timestamp has no zone: UTC, to the second.
        element.setAttribute(
            "timestamp",
            LocalDateTime.ofInstant(timestamp, ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.SECONDS)
                .toString());
        if (!suite.file().isEmpty()) {
          element.setAttribute("file", text(suite.file()));
        }
        suite.cases().forEach(c -> element.appendChild(testcase(xml, c, suite.file())));
      }
      Transformer transformer = TransformerFactory.newInstance().newTransformer();
      transformer.setOutputProperty(OutputKeys.INDENT, "yes");
      transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
      // The JDK's transformer writes its declaration on the root element's line.
      transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
      out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
      transformer.transform(new DOMSource(xml), new StreamResult(out));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ParserConfigurationException | TransformerException e) {
      throw new IllegalStateException("cannot write JUnit XML: " + e.getMessage(), e);
    }
  }

  private static Element testcase(Document xml, Case testCase, String file) {
    Element element = xml.createElement("testcase");
    element.setAttribute("name", text(testCase.name()));
    element.setAttribute("classname", text(testCase.classname()));
    if (!file.isEmpty()) {
      element.setAttribute("file", text(file));
    }
    element.setAttribute("time", seconds(testCase.time()));
    Failure failure = testCase.failure();
    if (failure != null) {
      Element child = xml.createElement(failure.error() ? "error" : "failure");
      child.setAttribute("message", text(failure.message()));
      child.setAttribute("type", failure.error() ? "InvalidInput" : "PolicyTestFailure");
      child.setTextContent(text(failure.details()));
      element.appendChild(child);
    }
    return element;
  }

  private static void counts(
      Element element, long tests, long failures, long errors, Duration time) {
    element.setAttribute("tests", Long.toString(tests));
    element.setAttribute("failures", Long.toString(failures));
    element.setAttribute("errors", Long.toString(errors));
    element.setAttribute("skipped", "0");
    element.setAttribute("time", seconds(time));
  }

  private static String seconds(Duration time) {
    return String.format(Locale.ROOT, "%.3f", time.toNanos() / 1e9);
  }

  /**
   * Characters XML 1.0 cannot carry at all (most control characters, lone surrogates) become
   * U+FFFD: a test input may hold them, and a report no parser reads would hide every result.
   */
  static String text(String value) {
    StringBuilder text = new StringBuilder(value.length());
    value
        .codePoints()
        .forEach(
            c ->
                text.appendCodePoint(
                    c == 0x9
                            || c == 0xA
                            || c == 0xD
                            || (c >= 0x20 && c <= 0xD7FF)
                            || (c >= 0xE000 && c <= 0xFFFD)
                            || (c >= 0x10000 && c <= 0x10FFFF)
                        ? c
                        : 0xFFFD));
    return text.toString();
  }
}
