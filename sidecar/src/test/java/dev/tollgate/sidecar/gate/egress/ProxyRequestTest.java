package dev.tollgate.sidecar.gate.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProxyRequestTest {

  private static ProxyRequest read(String text) throws Exception {
    return ProxyRequest.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)));
  }

  @Test
  void connectNamesHostAndPortAndKeepsWhatFollows() throws Exception {
    ProxyRequest request = read("CONNECT [::1]:8443 HTTP/1.1\r\nHost: x\r\n\r\nEARLY");
    assertThat(request.connect()).isTrue();
    assertThat(request.host()).isEqualTo("::1");
    assertThat(request.port()).isEqualTo(8443);
    assertThat(request.scheme()).isEqualTo("tcp");
    assertThat(new String(request.rest(), StandardCharsets.ISO_8859_1)).isEqualTo("EARLY");
    assertThat(read("CONNECT a.example:443 HTTP/1.0\r\n\r\n").scheme()).isEqualTo("https");
  }

  @Test
  void absoluteFormBecomesOriginForm() throws Exception {
    ProxyRequest request = read("GET http://a.example?q=1#frag HTTP/1.1\r\nAccept: */*\r\n\r\n");
    assertThat(request.connect()).isFalse();
    assertThat(request.port()).isEqualTo(80);
    assertThat(request.pathAndQuery()).isEqualTo("/?q=1");
    String head = new String(request.upstreamHead(), StandardCharsets.ISO_8859_1);
    assertThat(head)
        .isEqualTo(
            "GET /?q=1 HTTP/1.1\r\nHost: a.example\r\nAccept: */*\r\nConnection: close\r\n\r\n");
    ProxyRequest v6 = read("GET http://[fd00::1]:8080/x HTTP/1.1\r\n\r\n");
    assertThat(new String(v6.upstreamHead(), StandardCharsets.ISO_8859_1))
        .contains("Host: [fd00::1]:8080\r\n");
  }

  @Test
  void refusesWhatIsNoProxyRequest() {
    for (String bad :
        new String[] {
          "CONNECT ::1:443 HTTP/1.1\r\n\r\n",
          "CONNECT a.example:0 HTTP/1.1\r\n\r\n",
          "CONNECT a.example:44x HTTP/1.1\r\n\r\n",
          "CONNECT :443 HTTP/1.1\r\n\r\n",
          "CONNECT [::1 HTTP/1.1\r\n\r\n",
          "get http://a.example/ HTTP/1.1\r\n\r\n",
          "GET http://a.example/ HTTP/1.1\r\nBad Name: x\r\n\r\n",
          "GET http://a.example/ HTTP/1.1\r\nX: a\nY: b\r\n\r\n",
          "GET  http://a.example/ HTTP/1.1\r\n\r\n",
          "GET http://a.example/ HTTP/1.1",
          ""
        }) {
      assertThatThrownBy(() -> read(bad)).as(bad).isInstanceOf(MalformedRequestException.class);
    }
  }

  @Test
  void aTrickledHeadIsReadWhole() throws Exception {
    byte[] bytes = "CONNECT a.example:443 HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayInputStream oneByteAtATime =
        new ByteArrayInputStream(bytes) {
          @Override
          public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(1, len));
          }
        };
    assertThat(ProxyRequest.read(oneByteAtATime).host()).isEqualTo("a.example");
  }
}
