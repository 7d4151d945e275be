package dev.promptlab.evolution.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What changed between two versions. Prompts are comma-separated descriptor lists, so they are compared phrase by
 * phrase (added, removed, kept in the same words); the numeric defaults are compared value by value.
 */
public final class PromptDiff {

  private PromptDiff() {
  }

  public static ObjectNode between(PromptVersion from, PromptVersion to) {
    ObjectNode diff = PromptVersionJson.MAPPER.createObjectNode();
    diff.put("from", from.name());
    diff.put("to", to.name());
    diff.put("related", related(from, to));
    diff.set("leonardo", api(from.leonardo(), to.leonardo(), "init_strength", "controlnet_weight"));
    diff.set("stablediffusion", api(from.stableDiffusion(), to.stableDiffusion(), "strength",
      "controlnet_conditioning_scale"));
    return diff;
  }

  private static String related(PromptVersion from, PromptVersion to) {
    if (from.version().equals(to.parentVersion())) {
      return "parent";
    }
    if (to.version().equals(from.parentVersion())) {
      return "child";
    }
    if (from.parentVersion() != null && from.parentVersion().equals(to.parentVersion())) {
      return "sibling";
    }
    return "other";
  }

  private static ObjectNode api(ApiPromptSettings a, ApiPromptSettings b, String strengthName, String controlName) {
    ObjectNode node = PromptVersionJson.MAPPER.createObjectNode();
    node.set("prompt", phrases(a.prompt(), b.prompt()));
    node.set("negative_prompt", phrases(a.negativePrompt(), b.negativePrompt()));
    ObjectNode settings = node.putObject("settings");
    number(settings, strengthName, a.strength(), b.strength());
    number(settings, "guidance_scale", a.guidanceScale(), b.guidanceScale());
    number(settings, controlName, a.controlWeight(), b.controlWeight());
    return node;
  }

  private static ObjectNode phrases(String a, String b) {
    List<String> before = split(a);
    List<String> after = split(b);
    Set<String> beforeKeys = keys(before);
    Set<String> afterKeys = keys(after);
    ObjectNode node = PromptVersionJson.MAPPER.createObjectNode();
    node.put("changed", !a.strip().equals(b.strip()));
    ArrayNode added = node.putArray("added");
    after.stream().filter(p -> !beforeKeys.contains(key(p))).forEach(added::add);
    ArrayNode removed = node.putArray("removed");
    before.stream().filter(p -> !afterKeys.contains(key(p))).forEach(removed::add);
    node.put("kept", (int) before.stream().filter(p -> afterKeys.contains(key(p))).count());
    return node;
  }

  private static void number(ObjectNode settings, String name, double a, double b) {
    if (Double.compare(a, b) != 0) {
      settings.putObject(name).put("from", a).put("to", b);
    }
  }

  static List<String> split(String prompt) {
    List<String> phrases = new ArrayList<>();
    for (String part : prompt.split(",")) {
      String phrase = part.strip().replaceAll("\\s+", " ");
      if (!phrase.isEmpty()) {
        phrases.add(phrase);
      }
    }
    return phrases;
  }

  private static Set<String> keys(List<String> phrases) {
    Set<String> keys = new LinkedHashSet<>();
    phrases.forEach(p -> keys.add(key(p)));
    return keys;
  }

  private static String key(String phrase) {
    return phrase.toLowerCase(Locale.ROOT);
  }
}
