package dev.promptlab.http.ui;

import dev.promptlab.contract.RefusedRow;
import java.util.Map;

/**
 * Why a dataset row was refused, in a page's language: the bundle's {@code refusal_<code>} text with the row's
 * arguments in place of their {@code {name}}. A row without a known code (reported before rows had codes) is
 * given its English reason on an English page and a general sentence on any other.
 */
final class RefusalTexts {

  private RefusalTexts() {
  }

  static String of(RefusedRow row, Map<String, String> texts, String lang) {
    String text = row.code() == null ? null : texts.get("refusal_" + row.code());
    if (text == null) {
      return "en".equals(lang) && row.reason() != null ? row.reason() : texts.get("refusal_other");
    }
    for (Map.Entry<String, String> arg : row.args().entrySet()) {
      text = text.replace("{" + arg.getKey() + "}", arg.getValue());
    }
    return text;
  }
}
