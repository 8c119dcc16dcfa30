package dev.tusk.bench;

import java.util.List;
import java.util.Map;

/** A metric the report tabulates: the JSON key, a label, and which direction is better. */
record Metric(String key, String label, boolean higherIsBetter) {

  private static final Metric SERVER_PEAK = new Metric("server_peak_rss_mib",
      "server peak RSS (MiB)", false);
  private static final Metric SERVER_CPU = new Metric("server_cpu_s", "server CPU (s)", false);
  private static final Metric CLIENT_CPU = new Metric("client_cpu_s", "generator CPU (s)", false);
  private static final Metric OTHER_CPU = new Metric("other_cpu_s",
      "CPU of other processes meanwhile (s)", false);

  /** The metrics shown per scenario; the first is the one ratios are taken of. */
  static final Map<String, List<Metric>> BY_SCENARIO = Map.of(
      "big", bulk(), "big8m", bulk(),
      "small", small(), "smalldirty", small(),
      "head", head(), "headmulti", head(),
      "idle", List.of(
          new Metric("server_rss_mib", "server RSS with all stalled (MiB)", false),
          new Metric("fresh_head_ms_max", "fresh HEAD, slowest of 5 (ms)", false),
          new Metric("fresh_head_ms_median", "fresh HEAD, median of 5 (ms)", false),
          new Metric("fresh_head_errors", "fresh HEAD errors", false),
          new Metric("stalled", "stalled PATCHes established", true),
          new Metric("stall_errors", "stall errors", false),
          new Metric("stalled_open_at_end", "stalled still open at the end", true),
          new Metric("kib_per_stalled", "RSS per stalled upload (KiB)", false),
          SERVER_PEAK),
      "download", List.of(
          new Metric("get_mb_per_s", "whole GET (MB/s)", true),
          new Metric("server_cpu_s_per_gb", "server CPU per GB of GET (s)", false),
          new Metric("range_mb_per_s", "64 KiB ranges (MB/s)", true),
          new Metric("cold_range_mb_per_s", "cold: the warm-up's first ranges (MB/s)", true),
          new Metric("range_per_s", "ranges/s", true),
          new Metric("range_p99_ms", "range p99 (ms)", false),
          new Metric("range_server_cpu_s", "server CPU over the measured ranges (s)", false),
          new Metric("range_errors", "range errors", false),
          SERVER_PEAK,
          new Metric("client_cpu_s_per_gb", "generator CPU per GB of GET (s)", false),
          OTHER_CPU),
      "s3", List.of(
          new Metric("mb_per_s", "MB/s", true),
          new Metric("ratio_to_direct", "MB/s relative to the direct SDK upload of the same run",
              true),
          new Metric("uploader_cpu_s_per_gb",
              "uploader CPU (s/GB): tusk, or the s3-direct process", false),
          SERVER_PEAK,
          new Metric("direct_peak_rss_mib", "s3-direct process peak RSS (MiB)", false),
          new Metric("client_cpu_s_per_gb", "generator CPU (s/GB)", false),
          new Metric("endpoint_cpu_s_per_gb", "S3Proxy CPU (s/GB)", false),
          new Metric("endpoint_peak_rss_mib", "S3Proxy peak RSS (MiB)", false),
          new Metric("seconds", "seconds", false),
          OTHER_CPU),
      "fsprobe", List.of(
          new Metric("fresh_files_per_s", "fresh directory (files/s)", true),
          new Metric("same_dir_after_delete_files_per_s",
              "same directory right after deleting as many (files/s)", true),
          new Metric("new_dir_after_delete_files_per_s",
              "new sibling directory right after those deletions (files/s)", true),
          new Metric("same_dir_after_delete_and_sync_files_per_s",
              "same emptied directory after sync (files/s)", true),
          new Metric("delete_files_per_s", "deletions (files/s)", true)));

  /** The stored scenario's rows (its columns are {@code <store>-<N>}). */
  static final List<Metric> STORED = List.of(
      new Metric("repair_s", "index repair at start: full listing (s, tusk's metric)", false),
      new Metric("repair_s_ratio", "repair ÷ the empty store's", false),
      new Metric("repair_s3_requests", "S3 requests of that repair", false),
      new Metric("repair_s3proxy_cpu_s", "S3Proxy CPU for that repair (s)", false),
      new Metric("create_per_s", "creation of 1 KiB uploads (uploads/s)", true),
      new Metric("create_per_s_ratio", "creation uploads/s ÷ the empty store's", true),
      new Metric("create_p99_ms", "creation p99 (ms)", false),
      new Metric("create_s3_requests", "S3 requests per creation", false),
      new Metric("create_s3proxy_cpu_ms", "S3Proxy CPU per creation (ms)", false),
      new Metric("head_p50_ms", "HEAD of a stored upload p50 (ms)", false),
      new Metric("head_p99_ms", "HEAD of a stored upload p99 (ms)", false),
      new Metric("head_p99_ms_ratio", "HEAD p99 ÷ the empty store's", false),
      new Metric("head_s3_requests", "S3 requests per HEAD (the first of a probe reads it, later "
          + "ones hit tusk's cache)", false),
      new Metric("patch_p99_ms", "PATCH completing a stored upload p99 (ms)", false),
      new Metric("patch_p99_ms_ratio", "PATCH p99 ÷ the empty store's", false),
      new Metric("patch_s3_requests", "S3 requests per PATCH", false),
      new Metric("patch_s3proxy_cpu_ms", "S3Proxy CPU per PATCH (ms)", false),
      new Metric("idle_sweep_ms", "sweep, nothing expired (ms, tusk's metric)", false),
      new Metric("idle_sweep_ms_ratio", "sweep, nothing expired ÷ the empty store's", false),
      new Metric("idle_sweep_first_ms", "first sweep counted, nothing expired (ms)", false),
      new Metric("idle_sweep_cpu_ms", "tusk CPU per sweep, nothing expired (ms)", false),
      new Metric("idle_sweep_cpu_ms_ratio", "tusk CPU per sweep ÷ the empty store's", false),
      new Metric("idle_sweep_requests", "S3 requests per sweep, nothing expired", false),
      new Metric("idle_sweep_requests_ratio", "S3 requests per sweep ÷ the empty store's",
          false),
      new Metric("idle_sweep_first_requests", "S3 requests of the first sweep counted, nothing "
          + "expired", false),
      new Metric("idle_sweep_s3_ms", "S3Proxy's time answering a sweep's requests, nothing "
          + "expired (ms, at the relay)", false),
      new Metric("idle_sweep_store_calls", "store calls per sweep, nothing expired (tusk's "
          + "tusk_sweep_store_calls, where it has it)", false),
      new Metric("expired", "uploads expired before the sweep (1 %)", false),
      new Metric("expired_sweep_ms", "sweep with 1 % expired (ms)", false),
      new Metric("expired_sweep_ms_ratio", "that sweep ÷ the empty store's", false),
      new Metric("expired_sweep_cpu_ms", "tusk CPU of that sweep (ms)", false),
      new Metric("expired_sweep_cpu_ms_ratio", "tusk CPU of that sweep ÷ the empty store's",
          false),
      new Metric("expired_sweep_requests", "S3 requests of that sweep", false),
      new Metric("expired_sweep_requests_ratio", "S3 requests of that sweep ÷ the empty store's",
          false),
      new Metric("expired_sweep_requests_per_expired", "S3 requests of that sweep per expired "
          + "upload", false),
      new Metric("expired_sweep_s3_ms", "S3Proxy's time answering the requests of the sweep "
          + "with 1 % expired (ms, at the relay)", false),
      new Metric("expired_sweep_store_calls", "store calls of that sweep (tusk's metric)", false),
      new Metric("expired_sweep_deleted", "uploads that sweep deleted (tusk's metric)", false),
      new Metric("populate_per_s", "writing the stored uploads (uploads/s, not tusk serving)",
          true),
      SERVER_CPU, CLIENT_CPU, OTHER_CPU);

  /** Text rows of the stored scenario: {key, label}. */
  static final List<List<String>> STORED_TEXT = List.of(
      List.of("s3_provider", "S3Proxy provider"),
      List.of("repair_s3_kinds", "S3 requests of the repair by kind (S3Proxy's ms)"),
      List.of("create_s3_kinds", "S3 requests per creation by kind"),
      List.of("head_s3_kinds", "S3 requests per HEAD by kind"),
      List.of("patch_s3_kinds", "S3 requests per PATCH by kind"),
      List.of("idle_sweep_s3_kinds", "S3 requests of a sweep, nothing expired, by kind "
          + "(S3Proxy's ms)"),
      List.of("expired_sweep_s3_kinds", "S3 requests of the sweep with 1 % expired by kind "
          + "(S3Proxy's ms)"));

  private static List<Metric> bulk() {
    return List.of(
        new Metric("mb_per_s", "MB/s", true),
        new Metric("cold_mb_per_s", "cold: first warm-up upload (MB/s)", true),
        new Metric("server_cpu_s_per_gb", "server CPU (s/GB)", false),
        SERVER_PEAK,
        new Metric("client_cpu_s_per_gb", "generator CPU (s/GB)", false),
        new Metric("seconds", "seconds", false),
        OTHER_CPU);
  }

  private static List<Metric> small() {
    return List.of(
        new Metric("uploads_per_s", "uploads/s", true),
        new Metric("cold_uploads_per_s", "cold: warm-up uploads/s", true),
        new Metric("p50_ms", "p50 (ms)", false),
        new Metric("p99_ms", "p99 (ms)", false),
        new Metric("max_ms", "max (ms)", false),
        new Metric("errors", "errors", false),
        SERVER_CPU, SERVER_PEAK, CLIENT_CPU, OTHER_CPU);
  }

  private static List<Metric> head() {
    return List.of(
        new Metric("req_per_s", "req/s", true),
        new Metric("cold_req_per_s", "cold: req/s in the warm-up's first stretch", true),
        new Metric("p50_ms", "p50 (ms)", false),
        new Metric("p99_ms", "p99 (ms)", false),
        new Metric("errors", "errors", false),
        SERVER_CPU, SERVER_PEAK, CLIENT_CPU, OTHER_CPU);
  }
}
