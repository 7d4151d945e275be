package dev.promptlab.textopt.bench;

import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Why the simulated task model gets an extraction row wrong. Each row of the simulated dataset is exposed to one
 * mode; the hidden quality of a prompt is how well its instructions guard against each mode, weighted by how often
 * the mode occurs in the run's data. Each mode writes its rows' (input, expected, wrong answer) texts, which are
 * what the failure sample shows the optimizer.
 */
enum FailureMode {

  /** The value is wrapped in a sentence. */
  VERBOSE,
  /** A date is copied in the document's format instead of ISO 8601. */
  DATE_FORMAT,
  /** A name's capitalisation is changed. */
  CASING,
  /** The customer is given instead of the supplier. */
  WRONG_PARTY,
  /** A supplier is invented where the document names none. */
  INVENTED;

  private static final List<String> COMPANIES = List.of("ACME Corp", "Globex", "Initech", "Umbrella Ltd",
    "Hooli", "Vandelay Industries", "Stark Supplies", "Wayne Freight", "Tyrell GmbH", "Soylent SA", "Cyberdyne",
    "Oscorp", "Wonka Foods", "Gringotts Bank", "Pied Piper", "Dunder Mifflin", "McKittrick Hotels", "Duff Brewing",
    "Monarch Paper", "Prestige Worldwide");
  private static final List<String> MONTHS = List.of("January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December");

  /** The (input, expected, wrong answer) of a row exposed to this mode. */
  Texts texts(Random random) {
    String supplier = COMPANIES.get(random.nextInt(COMPANIES.size()));
    String customer;
    do {
      customer = COMPANIES.get(random.nextInt(COMPANIES.size()));
    } while (customer.equals(supplier));
    int number = 100 + random.nextInt(900);
    int day = 1 + random.nextInt(28);
    int month = 1 + random.nextInt(12);
    int year = 2019 + random.nextInt(7);
    String written = day + " " + MONTHS.get(month - 1) + " " + year;
    return switch (this) {
      case VERBOSE -> new Texts("Invoice " + number + " from " + supplier + " to " + customer
        + ". Who is the supplier?", supplier, "The supplier of this invoice is " + supplier + ".");
      case DATE_FORMAT -> new Texts("Invoice " + number + " from " + supplier + ", issued " + written
        + ". When was it issued?", String.format(Locale.ROOT, "%d-%02d-%02d", year, month, day), written);
      case CASING -> new Texts("INVOICE " + number + " // " + supplier + " // billed to " + customer
        + ". Who is the supplier?", supplier, supplier.toUpperCase(Locale.ROOT));
      case WRONG_PARTY -> new Texts("Billed to " + customer + ": invoice " + number + " of " + supplier
        + ". Who is the supplier?", supplier, customer);
      case INVENTED -> new Texts("Receipt " + number + ", paid by " + customer + " on " + written
        + ". Who is the supplier?", "NONE", supplier);
    };
  }

  record Texts(String input, String expected, String wrong) {
  }
}
