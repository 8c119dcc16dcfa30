package dev.tusk.server.protocol;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What a GET answers for a {@code Range} header (RFC 9110 section 14): the whole representation
 * (200), one range (206), several ranges ({@code multipart/byteranges}, 206) or nothing (416).
 *
 * <p>The rules, in order:
 *
 * <ol>
 *   <li>No header, a unit other than {@code bytes}, or an invalid {@code ranges-specifier}
 *       (non-numeric, inverted {@code 5-2}, no range at all) is ignored: 200 with everything.
 *       RFC 9110: "A server MAY ignore the Range header field" and "MAY ignore or reject a Range
 *       header field that contains an invalid ranges-specifier".
 *   <li>A range is satisfiable if it is an int-range whose first-pos is below the length, or a
 *       suffix-range with a non-zero suffix-length; a last-pos beyond the end is cut to the last
 *       byte, a suffix longer than the representation means all of it. If none is satisfiable:
 *       416. A satisfiable suffix of an empty representation selects the whole (empty) body: 200.
 *   <li>Overlapping or adjacent ranges are coalesced; the parts keep the order in which the
 *       client asked for them (RFC 9110: "SHOULD send the parts in the same order ... excluding
 *       those ranges that ... were coalesced into other ranges").
 *   <li>One range left: 206 with that range, even when it covers every byte ({@code bytes=0-}).
 *   <li>Several left: 200 with everything when more than {@link #MAX_PARTS} remain or when together
 *       they cover at least 80% of the representation (the whole is then about as cheap and far
 *       simpler for the client); otherwise 206 {@code multipart/byteranges}. More than {@link
 *       #MAX_SPECS} range-specs are not examined at all: 200.
 * </ol>
 *
 * @param kind what to answer
 * @param ranges the ranges to send for {@link Kind#SINGLE} and {@link Kind#MULTIPART}; else empty
 */
public record ByteRanges(Kind kind, List<ByteRange> ranges) {
  /** The most parts a {@code multipart/byteranges} answer carries. */
  public static final int MAX_PARTS = 16;

  /** The most range-specs examined; a longer header is ignored. */
  public static final int MAX_SPECS = 256;

  /** What to answer. */
  public enum Kind {
    /** 200 with the whole representation. */
    FULL,
    /** 206 with one {@code Content-Range}. */
    SINGLE,
    /** 206 {@code multipart/byteranges}. */
    MULTIPART,
    /** 416 with {@code Content-Range: bytes *}{@code /length}. */
    UNSATISFIABLE
  }

  private static final ByteRanges FULL = new ByteRanges(Kind.FULL, List.of());
  private static final ByteRanges UNSATISFIABLE = new ByteRanges(Kind.UNSATISFIABLE, List.of());

  public ByteRanges {
    ranges = List.copyOf(ranges);
  }

  /**
   * Plans the answer to {@code header} for a representation of {@code length} bytes.
   *
   * @param header the {@code Range} header, or null (also pass null when {@code If-Range} did not
   *     match)
   */
  public static ByteRanges plan(String header, long length) {
    if (header == null) {
      return FULL;
    }
    List<Spec> specs = parse(header);
    if (specs == null || specs.size() > MAX_SPECS) {
      return FULL;
    }
    List<Indexed> satisfiable = new ArrayList<>();
    boolean emptySuffix = false;
    for (int i = 0; i < specs.size(); i++) {
      Spec s = specs.get(i);
      if (s.first < 0) {
        if (s.last == 0) {
          continue; // "-0" selects nothing
        }
        if (length == 0) {
          emptySuffix = true;
          continue;
        }
        satisfiable.add(new Indexed(i, new ByteRange(Math.max(0, length - s.last), length - 1)));
      } else if (s.first < length) {
        long last = s.last < 0 ? length - 1 : Math.min(s.last, length - 1);
        satisfiable.add(new Indexed(i, new ByteRange(s.first, last)));
      }
    }
    if (satisfiable.isEmpty()) {
      return emptySuffix ? FULL : UNSATISFIABLE;
    }
    List<ByteRange> parts = coalesce(satisfiable);
    if (parts.size() == 1) {
      return new ByteRanges(Kind.SINGLE, parts);
    }
    long covered = parts.stream().mapToLong(ByteRange::length).sum();
    if (parts.size() > MAX_PARTS || covered >= length - length / 5) {
      return FULL;
    }
    return new ByteRanges(Kind.MULTIPART, parts);
  }

  /** One range-spec as sent: {@code first < 0} is a suffix of {@code last} bytes; {@code last < 0} is open. */
  private record Spec(long first, long last) {}

  private record Indexed(int order, ByteRange range) {}

  /**
   * RFC 9110: {@code ranges-specifier = range-unit "=" range-set}, {@code range-set = 1#range-spec},
   * {@code int-range = first-pos "-" [ last-pos ]}, {@code suffix-range = "-" suffix-length}.
   * Returns null for another unit or an invalid specifier. Empty list elements are skipped (RFC
   * 9110 section 5.6.1.2).
   */
  private static List<Spec> parse(String header) {
    int eq = header.indexOf('=');
    if (eq < 0 || !header.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("bytes")) {
      return null;
    }
    List<Spec> specs = new ArrayList<>();
    for (String raw : header.substring(eq + 1).split(",", -1)) {
      String element = raw.strip();
      if (element.isEmpty()) {
        continue;
      }
      int dash = element.indexOf('-');
      if (dash < 0 || dash != element.lastIndexOf('-')) {
        return null;
      }
      String first = element.substring(0, dash);
      String last = element.substring(dash + 1);
      if (first.isEmpty()) {
        long suffix = digits(last);
        if (suffix < 0) {
          return null;
        }
        specs.add(new Spec(-1, suffix));
        continue;
      }
      long from = digits(first);
      long to = last.isEmpty() ? -1 : digits(last);
      // RFC 9110: "A byte-range-spec is invalid if the last-pos value is present and less than
      // the first-pos."
      if (from < 0 || (!last.isEmpty() && (to < 0 || to < from))) {
        return null;
      }
      specs.add(new Spec(from, to));
      if (specs.size() > MAX_SPECS) {
        return specs;
      }
    }
    return specs.isEmpty() ? null : specs;
  }

  /** A non-empty run of ASCII digits, saturating at {@link Long#MAX_VALUE}; -1 otherwise. */
  private static long digits(String s) {
    if (s.isEmpty()) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      int d = c - '0';
      value = value > (Long.MAX_VALUE - d) / 10 ? Long.MAX_VALUE : value * 10 + d;
    }
    return value;
  }

  /** Merges overlapping or adjacent ranges; each merged range takes its earliest request position. */
  private static List<ByteRange> coalesce(List<Indexed> ranges) {
    List<Indexed> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparingLong((Indexed r) -> r.range().first()));
    List<Indexed> merged = new ArrayList<>();
    Indexed current = sorted.get(0);
    for (Indexed next : sorted.subList(1, sorted.size())) {
      ByteRange a = current.range();
      ByteRange b = next.range();
      if (b.first() <= a.last() || b.first() - a.last() == 1) {
        current =
            new Indexed(
                Math.min(current.order(), next.order()),
                new ByteRange(a.first(), Math.max(a.last(), b.last())));
      } else {
        merged.add(current);
        current = next;
      }
    }
    merged.add(current);
    merged.sort(Comparator.comparingInt(Indexed::order));
    return merged.stream().map(Indexed::range).toList();
  }
}
