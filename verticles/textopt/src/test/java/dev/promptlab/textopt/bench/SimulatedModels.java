package dev.promptlab.textopt.bench;

import dev.promptlab.testkit.FakeChatCompletions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's task, optimizer and judge models on one {@link FakeChatCompletions}. The task model follows the
 * instructions its prompt holds, so only the right instructions score well; the optimizer model reads the failures it
 * is shown and proposes the instruction that fixes the first kind it recognises, beside a candidate that changes
 * nothing that matters.
 *
 * <p>Extraction (exact match): "Order 17 left Porto for Lyon." → "Lyon". Without "only" the model answers in a
 * sentence; without "destination" it names the first city of a two-city input. JSON (schema): "name: Ana; age: 31" →
 * an object; without "JSON" it answers in prose; without "integer" an age of 40 or more is a string.
 *
 * <p>The judge grades extraction answers by {@link #RUBRIC} on a scale of 1 to 5: the city alone 5, the city inside a
 * sentence 3, another city 1, each with its reason.
 */
final class SimulatedModels {

  static final String TASK = "task-model";
  static final String OPTIMIZER = "optimizer-model";
  static final String JUDGE = "judge-model";
  static final String RUBRIC = "The answer is the destination city's name alone: full marks for the name alone, half"
    + " for the right city inside a sentence, the lowest score for another city.";

  private SimulatedModels() {
  }

  static FakeChatCompletions.Answer answer() {
    return (request, body) -> {
      JsonArray messages = body.getJsonArray("messages");
      JsonObject facts = TASK.equals(body.getString("model")) ? null
        : new JsonObject(messages.getJsonObject(1).getString("content"));
      String content = switch (body.getString("model")) {
        case TASK -> task(messages.getJsonObject(0).getString("content"),
          messages.getJsonObject(1).getString("content"));
        case JUDGE -> judge(facts);
        default -> optimizer(facts);
      };
      FakeChatCompletions.completion(content).send(request, body);
    };
  }

  static String task(String prompt, String input) {
    String p = prompt.toLowerCase(Locale.ROOT);
    if (input.startsWith("name:")) {
      String[] parts = input.split(";");
      String name = parts[0].substring("name:".length()).strip();
      String age = parts[1].substring(parts[1].indexOf(':') + 1).strip();
      if (!p.contains("json")) {
        return name + " is " + age + " years old.";
      }
      // Without being told, the model quotes the larger ages as text.
      boolean quoted = !p.contains("integer") && Integer.parseInt(age) >= 40;
      return quoted ? "{\"name\": \"" + name + "\", \"age\": \"" + age + "\"}"
        : "{\"name\": \"" + name + "\", \"age\": " + age + "}";
    }
    List<String> cities = new ArrayList<>();
    for (String word : input.replace(".", "").split(" ")) {
      if (CITIES.contains(word)) {
        cities.add(word);
      }
    }
    String city = cities.size() > 1 && !p.contains("destination") ? cities.get(0) : cities.get(cities.size() - 1);
    return p.contains("only") ? city : "The city is " + city + ".";
  }

  /** A verdict on an extraction answer under {@link #RUBRIC}. */
  static String judge(JsonObject facts) {
    String answer = facts.getString("answer");
    String expected = facts.getString("expected");
    JsonObject verdict = answer.equals(expected)
      ? new JsonObject().put("score", 5).put("reason", "The destination's name alone.")
      : answer.contains(expected)
        ? new JsonObject().put("score", 3).put("reason", "The right city, but inside a sentence: the rubric asks for"
          + " the name alone.")
        : new JsonObject().put("score", 1).put("reason", "Not the destination: " + expected + " was expected.");
    return verdict.encode();
  }

  private static final List<String> CITIES = List.of("Lyon", "Porto", "Lima", "Quito", "Oslo", "Riga", "Cairo",
    "Tunis", "Perth", "Hanoi");

  static String optimizer(JsonObject facts) {
    String current = facts.getJsonObject("current").getString("system_prompt");
    String fix = null;
    for (Object item : facts.getJsonArray("failures")) {
      JsonObject failure = (JsonObject) item;
      String got = failure.getString("got");
      String why = failure.getString("why", "");
      if (got.startsWith("The city is")) {
        fix = "Answer with the city name only.";
      } else if (!got.startsWith("{") && failure.getString("expected").startsWith("{")) {
        fix = "Answer in JSON with name and age.";
      } else if (why.contains("age")) {
        fix = "The age is an integer.";
      } else if (!got.startsWith("{")) {
        fix = "When two cities appear, give the destination.";
      }
      if (fix != null && !current.contains(fix)) {
        break;
      }
    }
    JsonArray candidates = new JsonArray()
      .add(new JsonObject().put("system_prompt", current + " Be careful.").put("output_prompt", "")
        .put("rationale", "more care"));
    if (fix != null && !current.contains(fix)) {
      candidates.add(new JsonObject().put("system_prompt", current + " " + fix).put("output_prompt", "")
        .put("rationale", "fixes the failures shown"));
    }
    return new JsonObject().put("candidates", candidates).encode();
  }

  /** An extraction row: a sentence with one or two cities, the destination expected. */
  static JsonObject extractionRow(int i) {
    String to = CITIES.get(i % CITIES.size());
    String from = CITIES.get((i * 3 + 1) % CITIES.size());
    String input = i % 3 == 0 && !from.equals(to) ? "Order " + i + " left " + from + " for " + to + "."
      : "Order " + i + " shipped to " + to + ".";
    return new JsonObject().put("id", "e" + i).put("input", input).put("expected", to);
  }

  /** A JSON row: a name and an age to be written as an object. */
  static JsonObject jsonRow(int i) {
    String name = List.of("Ana", "Bo", "Chen", "Dara", "Eli", "Femi", "Gus").get(i % 7) + i;
    int age = 18 + (i * 7) % 60;
    return new JsonObject().put("id", "j" + i).put("input", "name: " + name + "; age: " + age)
      .put("expected", new JsonObject().put("name", name).put("age", age).encode());
  }
}
