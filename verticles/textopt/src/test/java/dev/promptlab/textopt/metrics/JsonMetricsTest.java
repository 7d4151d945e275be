package dev.promptlab.textopt.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * JSON validity against cases of nst/JSONTestSuite ({@code test_parsing/y_*} must be accepted, {@code n_*} refused),
 * and JSON Schema match against cases of the official JSON-Schema-Test-Suite ({@code tests/draft2020-12}).
 */
class JsonMetricsTest {

  private final JsonValid valid = new JsonValid();

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
    # JSONTestSuite file            | content                      | accepted
    y_object_duplicated_key         | {"a":"b","a":"c"}            | true
    y_structure_lonely_int          | 42                           | true
    y_structure_lonely_null         | null                         | true
    y_string_unicode                | ["\\uA66D"]                  | true
    y_string_utf8                   | ["€𝄞"]                       | true
    y_structure_whitespace_array    | ` [] `                       | true
    y_object_empty_key              | {"":0}                       | true
    y_number_real_capital_e         | [1E22]                       | true
    n_object_trailing_comma         | {"id":0,}                    | false
    n_array_extra_comma             | ["",]                        | false
    n_number_NaN                    | [NaN]                        | false
    n_number_infinity               | [Infinity]                   | false
    n_number_-01                    | [-01]                        | false
    n_string_single_quote           | ['single quote']             | false
    n_object_single_quote           | {'a':0}                      | false
    n_object_unquoted_key           | {a: "b"}                     | false
    n_structure_trailing_#          | {"a":"b"}#{}                 | false
    n_structure_double_array        | [][]                         | false
    n_incomplete_true               | [tru]                        | false
    n_structure_object_with_comment | {"a":/*comment*/"b"}         | false
    n_string_unescaped_tab          | `["\t"]`                     | false
    """)
  void acceptsWhatJsonTestSuiteAccepts(String file, String content, boolean accepted) {
    String text = content.replace("\\t", "\t");
    Score score = valid.score(text, "");
    assertEquals(accepted ? 1.0 : 0.0, score.value(), file);
    assertEquals(!accepted, score.explanation().isPresent(), file);
  }

  @Test
  void invalidJsonIsExplainedWithItsPosition() {
    Score score = valid.score("{\"answer\": 42,\n \"unit\": }", "");
    assertEquals(0.0, score.value());
    String why = score.explanation().orElseThrow();
    assertTrue(why.startsWith("not valid JSON: "), why);
    assertTrue(why.contains("line 2"), why);
  }

  @Test
  void emptyAndFencedOutputsAreNotJson() {
    assertEquals("not valid JSON: the text is empty", valid.score("", "").explanation().orElseThrow());
    assertEquals(0.0, valid.score(" \n\t", "{}").value());
    assertEquals(0.0, valid.score("```json\n{\"a\": 1}\n```", "").value(), "a Markdown fence is not JSON");
    assertEquals(1.0, valid.score("\n  {\"a\": 1}\n", "").value(), "whitespace around the value is JSON");
  }

  @Test
  void veryLongAndDeeplyNestedInput() {
    String longArray = "[" + "\"ünïcödé 🙂\",".repeat(100_000) + "0]";
    assertEquals(1.0, valid.score(longArray, "").value());
    // n_structure_100000_opening_arrays: refused, with Jackson's nesting limit as the reason, not a stack overflow.
    Score deep = valid.score("[".repeat(100_000), "");
    assertEquals(0.0, deep.value());
    assertTrue(deep.explanation().orElseThrow().startsWith("not valid JSON: "), deep.explanation().orElseThrow());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
    # JSON-Schema-Test-Suite draft2020-12 case   | schema                                                                              | data                               | valid
    minLength: longer is valid                   | {"minLength": 2}                                                                    | "foo"                              | true
    minLength: too short is invalid              | {"minLength": 2}                                                                    | "f"                                | false
    minLength: one grapheme is not long enough   | {"minLength": 2}                                                                    | "\\ud83d\\udca9"                   | false
    minLength: ignores non-strings               | {"minLength": 2}                                                                    | 1                                  | true
    additionalProperties: extra is invalid       | {"properties": {"foo": {}, "bar": {}}, "patternProperties": {"^v": {}}, "additionalProperties": false} | {"foo": 1, "bar": 2, "quux": "boom"} | false
    additionalProperties: patternProperties      | {"properties": {"foo": {}, "bar": {}}, "patternProperties": {"^v": {}}, "additionalProperties": false} | {"foo": 1, "vroom": 2}     | true
    additionalProperties: non-ASCII pattern      | {"patternProperties": {"^á": {}}, "additionalProperties": false}                   | {"élmény": 2}                      | false
    required: present is valid                   | {"properties": {"foo": {}, "bar": {}}, "required": ["foo"]}                        | {"foo": 1}                         | true
    required: missing is invalid                 | {"properties": {"foo": {}, "bar": {}}, "required": ["foo"]}                        | {"bar": 1}                         | false
    required: ignores arrays                     | {"properties": {"foo": {}, "bar": {}}, "required": ["foo"]}                        | []                                 | true
    enum: objects are deep compared              | {"enum": [6, "foo", [], true, {"foo": 12}]}                                        | {"foo": false}                     | false
    enum: valid object matches                   | {"enum": [6, "foo", [], true, {"foo": 12}]}                                        | {"foo": 12}                        | true
    enum: extra properties in object is invalid  | {"enum": [6, "foo", [], true, {"foo": 12}]}                                        | {"foo": 12, "boo": 42}             | false
    """)
  void matchesTheOfficialSchemaTestSuite(String testCase, String schema, String data, boolean expected) {
    assertEquals(expected ? 1.0 : 0.0, new JsonSchemaMatch(schema).score(data, "").value(), testCase);
  }

  @Test
  void mismatchesNameTheFieldAtFault() {
    JsonSchemaMatch match = new JsonSchemaMatch("""
      {"$schema": "https://json-schema.org/draft/2020-12/schema",
       "type": "object",
       "properties": {"name": {"type": "string", "maxLength": 5},
                      "age": {"type": "integer", "minimum": 0, "maximum": 150},
                      "tags": {"type": "array", "items": {"enum": ["a", "b"]}},
                      "email": {"type": "string", "format": "email"}},
       "required": ["name", "age"],
       "additionalProperties": false}""");
    assertEquals(1.0, match.score("{\"name\": \"Ana\", \"age\": 30, \"tags\": [\"a\"], \"email\": \"ana@example.org\"}", "")
      .value());
    Score wrong = match.score("{\"name\": \"Anastasia\", \"age\": 200, \"tags\": [\"c\"], \"email\": \"nope\"}", "");
    assertEquals(0.0, wrong.value());
    String why = wrong.explanation().orElseThrow();
    for (String field : new String[] {"$.name", "$.age", "$.tags[0]", "$.email"}) {
      assertTrue(why.contains(field), field + " in: " + why);
    }
    Score notJson = match.score("{\"name\": ", "");
    assertTrue(notJson.explanation().orElseThrow().startsWith("not valid JSON: "));
    assertTrue(match.score("{\"age\": \"30\"}", "").explanation().orElseThrow().contains("$.age"));
  }

  @Test
  void manyMismatchesAreCutToAFew() {
    JsonSchemaMatch match = new JsonSchemaMatch("{\"type\": \"array\", \"items\": {\"type\": \"integer\"}}");
    String why = match.score("[\"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\"]", "").explanation().orElseThrow();
    assertTrue(why.endsWith("(and 2 more)"), why);
  }

  @Test
  void edgeCasesOfTheSchemaMetric() {
    JsonSchemaMatch strings = new JsonSchemaMatch("{\"type\": \"string\", \"maxLength\": 3}");
    assertEquals(0.0, strings.score("", "").value());
    assertEquals(1.0, strings.score("\"🙂🙂🙂\"", "").value(), "lengths count code points");
    assertEquals(0.0, strings.score("\"🙂🙂🙂🙂\"", "").value());
    assertEquals(0.0, strings.score("\"" + "x".repeat(100_000) + "\"", "").value());
    assertEquals(1.0, new JsonSchemaMatch("true").score("{\"anything\": [1]}", "").value());
    assertEquals(0.0, new JsonSchemaMatch("false").score("{}", "").value());
    JsonSchemaMatch local = new JsonSchemaMatch(
      "{\"$defs\": {\"id\": {\"type\": \"integer\"}}, \"type\": \"array\", \"items\": {\"$ref\": \"#/$defs/id\"}}");
    assertEquals(1.0, local.score("[1, 2, 3]", "").value());
    assertEquals(0.0, local.score("[1, \"2\"]", "").value());
  }

  @Test
  void badSchemasAreRefusedClearly() {
    IllegalArgumentException notJson = assertThrows(IllegalArgumentException.class, () -> new JsonSchemaMatch("{type:"));
    assertTrue(notJson.getMessage().startsWith("the JSON Schema is not valid JSON"), notJson.getMessage());
    IllegalArgumentException notSchema = assertThrows(IllegalArgumentException.class,
      () -> new JsonSchemaMatch("{\"type\": \"strin\"}"));
    assertTrue(notSchema.getMessage().startsWith("not a valid JSON Schema: "), notSchema.getMessage());
    IllegalArgumentException scalar = assertThrows(IllegalArgumentException.class, () -> new JsonSchemaMatch("42"));
    assertTrue(scalar.getMessage().contains("object or a boolean"), scalar.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new JsonSchemaMatch("{\"minLength\": -1}"));
  }

  @Test
  void externalReferencesAreRefusedWithoutBeingFetched() {
    // Port 9 on the loopback address (discard): nothing listens there, so a fetch would fail with a connection
    // error rather than the refusal; the message proves the reference was never followed.
    for (String ref : new String[] {"http://127.0.0.1:9/schema.json", "classpath:logback-test.xml", "file:///etc/passwd",
      "other.json"}) {
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> new JsonSchemaMatch("{\"type\": \"object\", \"properties\": {\"a\": {\"$ref\": \"" + ref + "\"}}}"), ref);
      assertTrue(refused.getMessage().startsWith("the JSON Schema cannot be used: it refers to "), refused.getMessage());
      assertTrue(refused.getMessage().endsWith("only references inside the schema (\"#/...\") are allowed"),
        refused.getMessage());
    }
  }
}
