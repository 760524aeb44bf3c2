package dev.botwebhooks.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.egress.EgressSettings;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.lambda.Routes.Route;
import dev.botwebhooks.queue.SqsCallQueue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks {@code template.yaml} the way {@code sam validate} and a deploy would. */
class TemplateTest {
  private static final Path TEMPLATE = Path.of("template.yaml");

  /** Read by the JVM itself, in Lambda as anywhere. */
  private static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";

  /** The SAM JSON schema, vendored with its source in {@code src/test/resources/schemas}. */
  private static final Path SAM_SCHEMA =
      Path.of("src", "test", "resources", "schemas", "sam.schema.json");

  private static JsonNode template;

  @BeforeAll
  static void readTemplate() throws IOException {
    template = CloudFormationYaml.read(TEMPLATE);
  }

  private static Map<String, JsonNode> functions() {
    Map<String, JsonNode> out = new HashMap<>();
    for (Map.Entry<String, JsonNode> r : template.path("Resources").properties()) {
      if (r.getValue().path("Type").asText().equals("AWS::Serverless::Function")) {
        out.put(r.getKey(), r.getValue().path("Properties"));
      }
    }
    return out;
  }

  /** The actions a function's policies allow on the calls' queue. */
  private static List<String> queueActions(String function) {
    List<String> actions = new ArrayList<>();
    for (JsonNode policy : functions().get(function).path("Policies")) {
      for (JsonNode statement : policy.path("Statement")) {
        if (statement.path("Resource").path("Fn::GetAtt").toString()
            .equals("[\"HttpCallQueue\",\"Arn\"]")) {
          statement.path("Action").forEach(action -> actions.add(action.asText()));
        }
      }
    }
    return actions;
  }

  @Test
  void template_validatesAgainstTheSamSchema() throws IOException {
    assertThat(SAM_SCHEMA).isRegularFile();
    JsonSchema schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
            .getSchema(Json.MAPPER.readTree(SAM_SCHEMA.toFile()));

    Set<ValidationMessage> errors = schema.validate(template);

    assertThat(errors).as("SAM schema errors").isEmpty();
  }

  @Test
  void template_intrinsicsAreReadInLongForm() {
    JsonNode env = template.path("Globals").path("Function").path("Environment");
    assertThat(env.path("Variables").path("TABLE_NAME").path("Ref").asText()).isEqualTo("Table");
  }

  @Test
  void everyHandler_namesAnExistingClassAndMethod() throws ClassNotFoundException {
    assertThat(functions()).isNotEmpty();
    for (Map.Entry<String, JsonNode> f : functions().entrySet()) {
      String handler = f.getValue().path("Handler").asText();
      assertThat(handler).as(f.getKey() + " Handler").contains("::");
      String className = handler.substring(0, handler.indexOf("::"));
      String methodName = handler.substring(handler.indexOf("::") + 2);

      Class<?> type = Class.forName(className);

      List<Method> methods =
          List.of(type.getMethods()).stream()
              .filter(m -> m.getName().equals(methodName))
              .filter(
                  m ->
                      List.of(m.getParameterTypes())
                          .equals(List.of(InputStream.class, OutputStream.class, Context.class)))
              .toList();
      assertThat(methods).as(handler + " as a stream handler method").hasSize(1);
      assertThat(type.getConstructors())
          .as(className + " has a public no-arg constructor for the Lambda runtime")
          .anyMatch(c -> c.getParameterCount() == 0);
      assertThat(FunctionName.byLogicalId(f.getKey()))
          .as("logical id " + f.getKey())
          .hasValueSatisfying(n -> assertThat(n.handler()).isEqualTo(handler));
    }
  }

  @Test
  void templateEvents_equalTheRouteTable() {
    Set<Route> declared = new HashSet<>();
    for (Map.Entry<String, JsonNode> f : functions().entrySet()) {
      FunctionName function = FunctionName.byLogicalId(f.getKey()).orElseThrow();
      for (JsonNode event : f.getValue().path("Events")) {
        if (event.path("Type").asText().equals("Schedule")) {
          // Due Bot.run runs, and due outbound calls: a poll a minute each.
          assertThat(function).isIn(FunctionName.WEBHOOK, FunctionName.HTTP_CALL);
          assertThat(event.path("Properties").path("Schedule").asText())
              .isEqualTo("rate(1 minute)");
          continue;
        }
        assertThat(event.path("Type").asText()).isEqualTo("HttpApi");
        JsonNode p = event.path("Properties");
        assertThat(p.path("ApiId").path("Ref").asText()).isEqualTo("HttpApi");
        declared.add(
            new Route(p.path("Method").asText().toUpperCase(), p.path("Path").asText(), function));
      }
    }

    assertThat(declared).containsExactlyInAnyOrderElementsOf(Routes.ALL);
  }

  @Test
  void environment_namesEverySettingWithTheDefaultLimits() throws IllegalAccessException {
    Map<String, JsonNode> env = new HashMap<>();
    template
        .path("Globals")
        .path("Function")
        .path("Environment")
        .path("Variables")
        .properties()
        .forEach(e -> env.put(e.getKey(), e.getValue()));
    functions()
        .values()
        .forEach(
            f ->
                f.path("Environment")
                    .path("Variables")
                    .properties()
                    .forEach(e -> env.put(e.getKey(), e.getValue())));

    Set<String> expected = new HashSet<>();
    for (Field field : Settings.Env.class.getFields()) {
      expected.add((String) field.get(null));
    }
    // The region comes from the Lambda runtime; the endpoint is only for local stores.
    expected.remove(Settings.Env.AWS_REGION);
    expected.remove(Settings.Env.DYNAMODB_ENDPOINT);
    expected.addAll(EgressSettings.VARIABLES);
    expected.add(SqsCallQueue.HTTP_CALL_QUEUE_URL);
    expected.add(JAVA_TOOL_OPTIONS);
    assertThat(env.keySet()).containsExactlyInAnyOrderElementsOf(expected);

    Map<String, String> literals =
        env.entrySet().stream()
            .filter(e -> e.getValue().isTextual())
            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().asText()));
    assertThat(Settings.from(literals).limits()).isEqualTo(Settings.Limits.defaults());
    assertThat(EgressSettings.from(literals)).isEqualTo(EgressSettings.defaults());
    assertThat(literals.get(EgressSettings.HTTP_EGRESS_ALLOW)).as("no inward host allowed").isEmpty();
  }

  /**
   * The functions' JVM options are the ones the local cold start runs with ({@code
   * LAMBDA_JVM_OPTIONS} in {@code scripts/lib/java.sh}, used by invoke.sh and bench.sh).
   */
  @Test
  void jvmOptions_areTheOnesOfTheLocalColdStart() throws IOException {
    Matcher local =
        Pattern.compile("(?m)^LAMBDA_JVM_OPTIONS=\\((.*)\\)$")
            .matcher(Files.readString(Path.of("scripts", "lib", "java.sh")));
    assertThat(local.find()).as("LAMBDA_JVM_OPTIONS in scripts/lib/java.sh").isTrue();
    JsonNode options =
        template.path("Globals").path("Function").path("Environment").path("Variables")
            .path(JAVA_TOOL_OPTIONS);

    assertThat(options.asText()).isEqualTo(local.group(1)).contains("-XX:TieredStopAtLevel=1");
  }

  @Test
  void outboundCalls_goThroughAQueueWithADeadLetterQueueToTheirOwnFunction() {
    JsonNode resources = template.path("Resources");
    JsonNode queue = resources.path("HttpCallQueue").path("Properties");
    assertThat(queue.path("RedrivePolicy").path("deadLetterTargetArn").path("Fn::GetAtt").toString())
        .isEqualTo("[\"HttpCallDeadLetters\",\"Arn\"]");
    long functionTimeout = functions().get("HttpCallFunction").path("Timeout").asLong();
    assertThat(queue.path("VisibilityTimeout").asLong()).isGreaterThanOrEqualTo(6 * functionTimeout);
    JsonNode mapping = resources.path("HttpCallQueueMapping").path("Properties");
    assertThat(mapping.path("FunctionName").path("Ref").asText()).isEqualTo("HttpCallFunction.Alias");
    assertThat(mapping.path("FunctionResponseTypes").toString()).contains("ReportBatchItemFailures");
    // A flood of queued calls waits in the queue instead of taking the account's concurrency.
    assertThat(mapping.path("ScalingConfig").path("MaximumConcurrency").path("Ref").asText())
        .isEqualTo("HttpCallConcurrency");
    JsonNode concurrency = template.path("Parameters").path("HttpCallConcurrency");
    assertThat(concurrency.path("MinValue").asInt()).isEqualTo(2);
    assertThat(concurrency.path("Default").asInt()).isBetween(2, 1000);
    // Every function that commits runs queues their calls: hits, callbacks, and the bot API's
    // replays with ?commit=true (README "The request log"), which would otherwise queue them
    // in-process, on threads that Lambda freezes once the answer is sent.
    for (String f : List.of("WebhookFunction", "HttpCallFunction", "BotApiFunction")) {
      assertThat(functions().get(f).path("Environment").path("Variables")
              .path(SqsCallQueue.HTTP_CALL_QUEUE_URL).path("Ref").asText())
          .as(f)
          .isEqualTo("HttpCallQueue");
      assertThat(queueActions(f)).as(f).contains("sqs:SendMessage");
    }
  }

  @Test
  void adminKey_isNoEchoAndOnlyGivenToTheBotApi() {
    assertThat(template.path("Parameters").path("AdminKey").path("NoEcho").asBoolean()).isTrue();
    assertThat(functions().get("BotApiFunction").path("Environment").toString())
        .contains("AdminKey");
    assertThat(functions().get("WebhookFunction").path("Environment").toString())
        .doesNotContain("AdminKey");
  }

  @Test
  void policies_grantOnlyItemActionsOnTheTableAndMessageActionsOnTheQueue() {
    Set<String> queueActions =
        Set.of(
            "sqs:SendMessage",
            "sqs:ReceiveMessage",
            "sqs:DeleteMessage",
            "sqs:ChangeMessageVisibility",
            "sqs:GetQueueAttributes");
    Set<String> allowed =
        Set.of(
            "dynamodb:GetItem",
            "dynamodb:BatchGetItem",
            "dynamodb:Query",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:TransactWriteItems",
            "dynamodb:ConditionCheckItem");
    // Only the bot API lists bots (a scan) and deletes a bot's items (in batches).
    Set<String> botApiOnly = Set.of("dynamodb:Scan", "dynamodb:BatchWriteItem");
    for (Map.Entry<String, JsonNode> f : functions().entrySet()) {
      for (JsonNode policy : f.getValue().path("Policies")) {
        for (JsonNode statement : policy.path("Statement")) {
          String resource = statement.path("Resource").path("Fn::GetAtt").toString();
          boolean queue = resource.equals("[\"HttpCallQueue\",\"Arn\"]");
          if (!queue) {
            assertThat(resource).isEqualTo("[\"Table\",\"Arn\"]");
          }
          for (JsonNode action : statement.path("Action")) {
            boolean botApi = f.getKey().equals("BotApiFunction");
            Set<String> mayUse = new java.util.HashSet<>(queue ? queueActions : allowed);
            if (!queue && botApi) {
              mayUse.addAll(botApiOnly);
            }
            assertThat(mayUse).as(f.getKey()).contains(action.asText());
            if (queue && !f.getKey().equals("HttpCallFunction")) {
              assertThat(action.asText()).as(f.getKey()).isEqualTo("sqs:SendMessage");
            }
          }
        }
      }
    }
  }

  /**
   * Store calls a hit makes at their full timeout past its script time, which counts from its
   * arrival: a read that ends late, the commit, two resolving a lost commit answer (with the 2 s
   * window between them counted as one more), the error log. README "Configuration", timeouts.
   */
  private static final int STORE_CALLS_OUTSIDE_SCRIPT = 6;

  @Test
  void functionTimeouts_areTheOnesLocalInvocationsHave() {
    JsonNode globals = template.path("Globals").path("Function");
    for (FunctionName f : FunctionName.values()) {
      JsonNode own = functions().get(f.logicalId()).path("Timeout");
      long timeout = own.isMissingNode() ? globals.path("Timeout").asLong() : own.asLong();
      assertThat(f.timeoutSeconds()).as(f.logicalId()).isEqualTo(timeout);
    }
  }

  @Test
  void functionTimeout_coversScriptTimeAndStoreCallTimeouts_soAHitAlwaysAnswers() {
    JsonNode globals = template.path("Globals").path("Function");
    long functionMillis = globals.path("Timeout").asLong() * 1000;
    long scriptMillis =
        Long.parseLong(
            globals.path("Environment").path("Variables")
                .path(Settings.Env.SCRIPT_TIME_LIMIT_MS).asText());
    java.time.Duration call =
        dev.botwebhooks.store.dynamodb.DynamoStore.Timeouts.defaults().call();

    long worstHit = scriptMillis + STORE_CALLS_OUTSIDE_SCRIPT * call.toMillis();

    assertThat(worstHit).as("worst-case hit (ms)").isLessThan(functionMillis);
    assertThat(scriptMillis).isEqualTo(Settings.Limits.defaults().scriptTime().toMillis());
  }
}
