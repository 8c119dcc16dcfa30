package dev.tusk.bench;

/**
 * A response head as read by {@link HttpConnection}: status and headers (looked up
 * case-insensitively on demand, first occurrence wins). Not thread-safe; used by one connection.
 */
final class HttpResponse {
  final int status;
  final boolean bodyless;
  private final String head;
  private String bodySnippet = "";

  HttpResponse(int status, String head, boolean bodyless) {
    this.status = status;
    this.head = head;
    this.bodyless = bodyless;
  }

  /** The value of the first header named {@code name} (any case), trimmed; null when absent. */
  String header(String name) {
    int at = head.indexOf("\r\n");
    while (at >= 0 && at + 2 < head.length()) {
      int start = at + 2;
      int end = head.indexOf("\r\n", start);
      if (end < 0) {
        end = head.length();
      }
      int colon = head.indexOf(':', start);
      if (colon > start
          && colon < end
          && colon - start == name.length()
          && head.regionMatches(true, start, name, 0, name.length())) {
        return head.substring(colon + 1, end).trim();
      }
      at = end < head.length() ? end : -1;
    }
    return null;
  }

  long longHeader(String name) {
    String value = header(name);
    return value == null ? -1 : Long.parseLong(value);
  }

  boolean chunked() {
    String te = header("Transfer-Encoding");
    return te != null && te.toLowerCase(java.util.Locale.ROOT).contains("chunked");
  }

  boolean closesConnection() {
    String connection = header("Connection");
    return connection != null && connection.equalsIgnoreCase("close");
  }

  String bodySnippet() {
    return bodySnippet;
  }

  void bodySnippet(String snippet) {
    this.bodySnippet = snippet;
  }

  @Override
  public String toString() {
    String statusLine = head.substring(0, Math.max(0, head.indexOf("\r\n")));
    return bodySnippet.isEmpty() ? statusLine : statusLine + " — " + bodySnippet;
  }
}
