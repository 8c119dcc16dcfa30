package dev.tusk.server.options;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the YAML configuration file into flat {@code dotted.key -> text} pairs: nested mappings
 * become dotted keys ({@code tls: {cert: x}} is {@code tls.cert}), sequences become
 * comma-separated text and {@code null} becomes empty. Duplicate keys are an error.
 */
final class YamlFile {
  private static final YAMLMapper YAML = new YAMLMapper();

  static {
    YAML.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  }

  private YamlFile() {}

  static Map<String, String> read(Path file) throws ConfigException {
    JsonNode root;
    try {
      byte[] bytes = Files.readAllBytes(file);
      root = YAML.readTree(bytes);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("config file " + file + " is not valid YAML: " + firstLine(e.getMessage()));
    }
    Map<String, String> flat = new LinkedHashMap<>();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return flat;
    }
    if (!root.isObject()) {
      throw new ConfigException("config file " + file + " must be a mapping of option: value");
    }
    flatten("", root, flat);
    return flat;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String key = prefix + field.getKey();
      JsonNode value = field.getValue();
      if (value.isObject()) {
        flatten(key + ".", value, out);
      } else if (value.isArray()) {
        List<String> items = new ArrayList<>();
        value.forEach(v -> items.add(v.asText()));
        out.put(key, String.join(",", items));
      } else {
        out.put(key, value.isNull() ? "" : value.asText());
      }
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
