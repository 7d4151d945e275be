package dev.promptlab.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * What the training meters remember besides the meters themselves: the values behind the gauges and
 * the provider names already given a series. There is exactly one per {@link MeterRegistry}.
 *
 * <p>Why per registry and not per {@link TrainingMeters}: a gauge is registered once and then reads
 * the object it was registered with. When the metrics verticle is redeployed, Micrometer hands the new
 * instance the existing gauge (meters are identified by name and tags), which still reads the first
 * instance's object. Keeping the values here, next to the registry, means every instance that writes
 * to a registry writes the values its gauges read, and the last known value stays visible while the
 * verticle is away. The map is weak on the registry, and nothing here refers back to it, so a closed
 * Vert.x registry is collected with its state.
 */
final class MeterState {

  /** Providers beyond this many distinct names are counted as {@link TagValues#OTHER}. */
  static final int MAX_PROVIDERS = 16;

  private static final Map<MeterRegistry, MeterState> BY_REGISTRY = new WeakHashMap<>();

  private final ConcurrentMap<GaugeKey, GaugeValue> gauges = new ConcurrentHashMap<>();
  private final Set<String> providers = new HashSet<>();

  private MeterState() {
  }

  static MeterState of(MeterRegistry registry) {
    synchronized (BY_REGISTRY) {
      return BY_REGISTRY.computeIfAbsent(registry, r -> new MeterState());
    }
  }

  /**
   * Sets the value of gauge {@code name}{@code tags}; the first time, {@code register} registers the
   * gauge (reading the returned holder) with the value already in place.
   */
  void setGauge(String name, Tags tags, double value, Consumer<GaugeValue> register) {
    gauges.computeIfAbsent(new GaugeKey(name, tags), key -> {
      GaugeValue holder = new GaugeValue(value);
      register.accept(holder);
      return holder;
    }).set(value);
  }

  /** Like {@link #setGauge} but only when the gauge has no value yet. */
  void setGaugeIfAbsent(String name, Tags tags, double value, Consumer<GaugeValue> register) {
    GaugeValue holder = new GaugeValue(value);
    if (gauges.putIfAbsent(new GaugeKey(name, tags), holder) == null) {
      register.accept(holder);
    }
  }

  /**
   * The provider tag value for an already well-formed name: the name itself while fewer than
   * {@link #MAX_PROVIDERS} distinct names have been seen, {@link TagValues#OTHER} after that.
   */
  synchronized String admitProvider(String name) {
    if (providers.contains(name) || TagValues.OTHER.equals(name)) {
      return name;
    }
    if (providers.size() >= MAX_PROVIDERS) {
      return TagValues.OTHER;
    }
    providers.add(name);
    return name;
  }

  private record GaugeKey(String name, Tags tags) {
  }

  /** The value one gauge reads. */
  static final class GaugeValue {

    private volatile double value;

    GaugeValue(double value) {
      this.value = value;
    }

    double get() {
      return value;
    }

    void set(double value) {
      this.value = value;
    }
  }
}
