package dev.tollgate.engine.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every notation a WHATWG parser accepts reaches one canonical address, classified. */
class IpAddressTest {

  @ParameterizedTest(name = "{0} -> {1} ({2})")
  @CsvSource({
    "169.254.169.254, 169.254.169.254, METADATA",
    "2852039166, 169.254.169.254, METADATA",
    "0xa9fea9fe, 169.254.169.254, METADATA",
    "0xA9FEA9FE, 169.254.169.254, METADATA",
    "0251.0376.0251.0376, 169.254.169.254, METADATA",
    "169.254.43518, 169.254.169.254, METADATA",
    "169.16689662, 169.254.169.254, METADATA",
    "0xa9.0xfe.0xa9.0xfe, 169.254.169.254, METADATA",
    "169.254.169.254., 169.254.169.254, METADATA",
    "000000000000000000251.0376.0251.0376, 169.254.169.254, METADATA",
    "127.1, 127.0.0.1, LOOPBACK",
    "0x7f.1, 127.0.0.1, LOOPBACK",
    "2130706433, 127.0.0.1, LOOPBACK",
    "017700000001, 127.0.0.1, LOOPBACK",
    "0, 0.0.0.0, UNSPECIFIED",
    "0x, 0.0.0.0, UNSPECIFIED",
    "10.0.0.1, 10.0.0.1, PRIVATE",
    "172.31.255.255, 172.31.255.255, PRIVATE",
    "172.32.0.1, 172.32.0.1, PUBLIC",
    "192.168.1.1, 192.168.1.1, PRIVATE",
    "100.64.0.1, 100.64.0.1, PRIVATE",
    "100.100.100.200, 100.100.100.200, METADATA",
    "169.254.1.1, 169.254.1.1, LINK_LOCAL",
    "8.8.8.8, 8.8.8.8, PUBLIC",
    "224.0.0.1, 224.0.0.1, MULTICAST",
    "255.255.255.255, 255.255.255.255, MULTICAST",
    "240.0.0.1, 240.0.0.1, RESERVED",
    "[::1], [::1], LOOPBACK",
    "[0:0:0:0:0:0:0:1], [::1], LOOPBACK",
    "[::], [::], UNSPECIFIED",
    "[::ffff:169.254.169.254], [::ffff:a9fe:a9fe], METADATA",
    "[::ffff:a9fe:a9fe], [::ffff:a9fe:a9fe], METADATA",
    "[0:0:0:0:0:ffff:7f00:1], [::ffff:7f00:1], LOOPBACK",
    "[::127.0.0.1], [::7f00:1], LOOPBACK",
    "[64:ff9b::a9fe:a9fe], [64:ff9b::a9fe:a9fe], METADATA",
    "[fd00:ec2::254], [fd00:ec2::254], METADATA",
    "[FD00:0EC2:0000:0000:0000:0000:0000:0254], [fd00:ec2::254], METADATA",
    "[fe80::1], [fe80::1], LINK_LOCAL",
    "[fc00::5], [fc00::5], PRIVATE",
    "[ff02::1], [ff02::1], MULTICAST",
    "[2001:db8::1], [2001:db8::1], RESERVED",
    "[2606:4700::1111], [2606:4700::1111], PUBLIC",
    "[1:0:0:2:0:0:0:3], [1:0:0:2::3], PUBLIC",
    "[1:2:3:4:5:6:7:8], [1:2:3:4:5:6:7:8], PUBLIC",
  })
  void everyNotationIsCanonicalized(String host, String canonical, AddressKind kind) {
    IpAddress address = IpAddress.parseHost(host.toLowerCase(Locale.ROOT)).orElseThrow();
    assertThat(address.canonical()).isEqualTo(canonical);
    assertThat(address.kind()).isEqualTo(kind);
  }

  @ParameterizedTest(name = "{0} is a name")
  @ValueSource(
      strings = {"example.com", "1.2.3.4.example.com", "0x1.example", "localhost", "a1", "1a"})
  void namesAreNotAddresses(String host) {
    assertThat(IpAddress.parseHost(host)).isEmpty();
  }

  @ParameterizedTest(name = "{0} is refused")
  @ValueSource(
      strings = {
        "1.2.3.4.5",
        "256.1.1.1",
        "1.2.3.256",
        "4294967296",
        "0x100000000",
        "1.2.3.09",
        "example.1",
        "08",
        "[::1",
        "[1::2::3]",
        "[12345::]",
        "[1:2:3:4:5:6:7:8:9]",
        "[:1]",
        "[1:]",
        "[::1.2.3]",
        "[::01.2.3.4]",
        "[fe80::1%eth0]",
        "99999999999999999999"
      })
  void invalidAddressesAreRefused(String host) {
    assertThatThrownBy(() -> IpAddress.parseHost(host))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
