package dev.tollgate.engine.net;

/**
 * The WHATWG URL Standard's IPv4 host parser: one to four dot-separated parts, each decimal, octal
 * (leading {@code 0}) or hexadecimal ({@code 0x}); the last part fills the remaining bytes ({@code
 * 127.1} is {@code 127.0.0.1}, {@code 2852039166} is {@code 169.254.169.254}).
 */
final class Ipv4Parser {

  private Ipv4Parser() {}

  /** The standard's "ends in a number" test: such a host must parse as IPv4 or the URL fails. */
  static boolean endsInANumber(String host) {
    String[] parts = host.split("\\.", -1);
    int count = parts.length;
    if (parts[count - 1].isEmpty()) {
      if (count == 1) {
        return false;
      }
      count--;
    }
    String last = parts[count - 1];
    if (!last.isEmpty() && last.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return true;
    }
    return number(last) >= 0;
  }

  /** The address as an unsigned 32-bit value; {@link IllegalArgumentException} when invalid. */
  static long parse(String host) {
    String[] parts = host.split("\\.", -1);
    int count = parts.length;
    if (count > 1 && parts[count - 1].isEmpty()) {
      count--;
    }
    if (count > 4) {
      throw new IllegalArgumentException("IPv4 address with more than four parts: " + host);
    }
    long[] numbers = new long[count];
    for (int i = 0; i < count; i++) {
      numbers[i] = number(parts[i]);
      if (numbers[i] < 0) {
        throw new IllegalArgumentException("IPv4 address part is not a number: " + host);
      }
      if (i < count - 1 && numbers[i] > 255) {
        throw new IllegalArgumentException("IPv4 address part over 255: " + host);
      }
    }
    long last = numbers[count - 1];
    if (last >= 1L << (8 * (5 - count))) {
      throw new IllegalArgumentException("IPv4 address out of range: " + host);
    }
    long address = last;
    for (int i = 0; i < count - 1; i++) {
      address += numbers[i] << (8 * (3 - i));
    }
    return address;
  }

  /** One part's value, or -1 when it is not a number in its radix (or absurdly long). */
  private static long number(String part) {
    if (part.isEmpty()) {
      return -1;
    }
    int radix = 10;
    String digits = part;
    if (part.startsWith("0x") || part.startsWith("0X")) {
      radix = 16;
      digits = part.substring(2);
    } else if (part.length() > 1 && part.charAt(0) == '0') {
      radix = 8;
      digits = part.substring(1);
    }
    if (digits.isEmpty()) {
      return 0;
    }
    int base = radix;
    // Leading zeros do not change the value; more than 2^32 never parses, so cap the work.
    String significant = digits.replaceFirst("^0+(?=.)", "");
    if (significant.length() > 12) {
      return significant.chars().allMatch(c -> Character.digit(c, base) >= 0)
          ? Long.MAX_VALUE / 2
          : -1;
    }
    long value = 0;
    for (int i = 0; i < significant.length(); i++) {
      int digit = Character.digit(significant.charAt(i), radix);
      if (digit < 0) {
        return -1;
      }
      value = value * radix + digit;
    }
    return value;
  }
}
