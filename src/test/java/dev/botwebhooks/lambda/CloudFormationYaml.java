package dev.botwebhooks.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.json.Json;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a CloudFormation YAML template as JSON, turning the short-form intrinsics ({@code !Ref},
 * {@code !GetAtt}, {@code !Sub}, ...) into their long forms as CloudFormation itself does.
 */
final class CloudFormationYaml {
  private static final List<String> FUNCTIONS =
      List.of(
          "Base64",
          "Cidr",
          "FindInMap",
          "GetAtt",
          "GetAZs",
          "ImportValue",
          "Join",
          "Select",
          "Split",
          "Sub",
          "Transform",
          "And",
          "Equals",
          "If",
          "Not",
          "Or",
          "Condition",
          "Ref",
          "ToJsonString",
          "Length");

  private CloudFormationYaml() {}

  static JsonNode read(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Object tree = new Yaml(new IntrinsicsConstructor()).load(in);
      return Json.MAPPER.valueToTree(tree);
    }
  }

  private static final class IntrinsicsConstructor extends SafeConstructor {
    IntrinsicsConstructor() {
      super(new LoaderOptions());
      for (String function : FUNCTIONS) {
        yamlConstructors.put(new Tag("!" + function), new Intrinsic(function));
      }
    }

    private final class Intrinsic extends AbstractConstruct {
      private final String function;

      Intrinsic(String function) {
        this.function = function;
      }

      @Override
      public Object construct(Node node) {
        Object value;
        if (node instanceof ScalarNode scalar) {
          value = constructScalar(scalar);
        } else if (node instanceof SequenceNode sequence) {
          value = constructSequence(sequence);
        } else {
          value = constructMapping((MappingNode) node);
        }
        if (function.equals("GetAtt") && value instanceof String dotted) {
          // "!GetAtt Table.Arn" is the short form of ["Table", "Arn"].
          value = List.of(dotted.split("\\.", 2));
        }
        String key =
            function.equals("Ref") || function.equals("Condition") ? function : "Fn::" + function;
        return Map.of(key, value);
      }
    }
  }
}
