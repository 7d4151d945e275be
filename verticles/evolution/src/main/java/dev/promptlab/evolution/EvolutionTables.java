package dev.promptlab.evolution;

import io.vertx.sqlclient.Pool;

/** The evolution verticle's SQL, one class per table it works on, over one pool. */
record EvolutionTables(Transactions transactions, PromptVersionRows versions, RatingRows ratings,
                       EvolutionStateRows state, EvolutionRows evolutions, AbTestRows abTests, DecisionRows decisions) {

  static EvolutionTables over(Pool pool) {
    Transactions transactions = new Transactions(pool);
    return new EvolutionTables(transactions, new PromptVersionRows(transactions, pool), new RatingRows(pool),
      new EvolutionStateRows(pool), new EvolutionRows(pool), new AbTestRows(pool), new DecisionRows(pool));
  }
}
