package dev.promptlab.generation.image;

/**
 * In-process photographic enhancement driven by the same parameters the image APIs take, so that the
 * learning loop works offline and each parameter has a visible, measurable effect:
 *
 * <ul>
 *   <li><b>control weight</b> — how much of the original's structure survives. Below 1 the image is
 *   re-interpreted: a seeded smooth warp shifts edges, edge-aware smoothing flattens fine texture and
 *   seeded surface texture is added, all in proportion to {@code 1 - controlWeight}.</li>
 *   <li><b>guidance scale</b> — how hard the "photorealistic" look is pushed: local contrast (clarity),
 *   fine sharpening, an S-shaped tone curve, saturation, split toning, vignette and seeded film grain
 *   all grow with it.</li>
 *   <li><b>strength</b> — how far the result moves from the original: the final image is the original
 *   blended towards the enhanced rendition by {@code 2 × strength} (0.5 gives the full rendition).</li>
 * </ul>
 *
 * <p>The prompt nudges the grade (warm/cool, bright/moody, vivid/muted terms) and, through its hash,
 * varies the seeded noise. The same inputs always give byte-identical output. Alpha passes through
 * unchanged. Inputs larger than {@code maxEdge} on their longer side are scaled down first.
 */
public final class LocalEnhancer {

  private static final int STREAM_WARP_X = 1;
  private static final int STREAM_WARP_Y = 2;
  private static final int STREAM_TEXTURE = 3;
  private static final int STREAM_GRAIN = 4;
  private static final int STREAM_GRAIN_CHROMA = 5;

  private final int maxEdge;

  public LocalEnhancer(int maxEdge) {
    if (maxEdge < 16) {
      throw new IllegalArgumentException("maxEdge must be at least 16");
    }
    this.maxEdge = maxEdge;
  }

  /** Decodes {@code original} (PNG or JPEG, EXIF orientation applied), enhances it and encodes it in the same format. */
  public EncodedImage render(byte[] original, EnhancementParameters parameters) throws ImageRejectedException {
    ImageInfo info = ImageInspector.inspect(original);
    Planes upright = ImageDecoder.decodeUpright(original, info, maxEdge);
    Planes enhanced = enhance(upright, parameters);
    byte[] bytes = ImageEncoder.encode(enhanced.toImage(), info.format());
    return new EncodedImage(bytes, info.format(), enhanced.width, enhanced.height);
  }

  Planes enhance(Planes original, EnhancementParameters p) {
    PromptStyle style = PromptStyle.of(p.prompt(), p.negativePrompt());
    SeededNoise noise = new SeededNoise(SeededNoise.mix(p.seed()) ^ style.textHash());
    float freedom = (float) clamp01((1.0 - p.controlWeight()) / 0.3);
    float push = (float) clamp01((p.guidanceScale() - 5.0) / 7.0);
    float amount = (float) clamp01(p.strength() * 2.0);

    Planes rendition = relaxStructure(original, freedom, noise);
    applyLook(rendition, push, style, noise);
    return blend(original, rendition, amount);
  }

  private Planes relaxStructure(Planes src, float freedom, SeededNoise noise) {
    int w = src.width;
    int h = src.height;
    int minDim = Math.min(w, h);
    Planes out = new Planes(w, h, false);
    float amplitude = freedom * 0.008f * minDim;
    SeededNoise.Field warpX = noise.field(STREAM_WARP_X, w, h, Math.max(8, minDim / 6));
    SeededNoise.Field warpY = noise.field(STREAM_WARP_Y, w, h, Math.max(8, minDim / 6));
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float sx = x + amplitude * warpX.at(x, y);
        float sy = y + amplitude * warpY.at(x, y);
        int i = y * w + x;
        out.r[i] = sample(src.r, w, h, sx, sy);
        out.g[i] = sample(src.g, w, h, sx, sy);
        out.b[i] = sample(src.b, w, h, sx, sy);
      }
    }
    int radius = Math.max(1, Math.round(minDim * 0.006f));
    float eps = 0.0025f + 0.02f * freedom;
    float flatten = 0.7f * freedom;
    smoothTowards(out.r, w, h, radius, eps, flatten);
    smoothTowards(out.g, w, h, radius, eps, flatten);
    smoothTowards(out.b, w, h, radius, eps, flatten);
    if (freedom > 0f) {
      float[] texture = surfaceTexture(noise, w, h, Math.max(1, minDim / 200));
      float textureAmount = 0.012f * freedom;
      for (int i = 0; i < texture.length; i++) {
        float t = textureAmount * texture[i];
        out.r[i] += t;
        out.g[i] += t;
        out.b[i] += t;
      }
    }
    return out;
  }

  /**
   * Blurred seeded white noise scaled to unit standard deviation: an organic, grid-free surface
   * variation, the stand-in for the detail a generator invents where it is not held to the original.
   */
  private static float[] surfaceTexture(SeededNoise noise, int w, int h, int radius) {
    float[] white = new float[w * h];
    for (int i = 0; i < white.length; i++) {
      white[i] = noise.gaussian(STREAM_TEXTURE, i);
    }
    float[] texture = Blur.gaussian(white, w, h, radius);
    double sumSquares = 0;
    for (float v : texture) {
      sumSquares += v * v;
    }
    float scale = (float) (1.0 / Math.sqrt(sumSquares / texture.length + 1e-12));
    for (int i = 0; i < texture.length; i++) {
      texture[i] *= scale;
    }
    return texture;
  }

  /** Moves {@code channel} towards its self-guided (edge-preserving) smoothing by {@code mix}. */
  private static void smoothTowards(float[] channel, int w, int h, int radius, float eps, float mix) {
    if (mix <= 0f) {
      return;
    }
    int n = channel.length;
    float[] squares = new float[n];
    for (int i = 0; i < n; i++) {
      squares[i] = channel[i] * channel[i];
    }
    float[] mean = Blur.box(channel, w, h, radius);
    float[] meanSquare = Blur.box(squares, w, h, radius);
    float[] gain = squares;
    float[] offset = new float[n];
    for (int i = 0; i < n; i++) {
      float variance = Math.max(0f, meanSquare[i] - mean[i] * mean[i]);
      gain[i] = variance / (variance + eps);
      offset[i] = mean[i] - gain[i] * mean[i];
    }
    float[] meanGain = Blur.box(gain, w, h, radius);
    float[] meanOffset = Blur.box(offset, w, h, radius);
    for (int i = 0; i < n; i++) {
      float smoothed = meanGain[i] * channel[i] + meanOffset[i];
      channel[i] += mix * (smoothed - channel[i]);
    }
  }

  private void applyLook(Planes img, float push, PromptStyle style, SeededNoise noise) {
    int w = img.width;
    int h = img.height;
    int n = img.size();
    int minDim = Math.min(w, h);

    float[] luma = luminance(img);
    float[] base = Blur.gaussian(luma, w, h, Math.max(2, minDim / 60));
    float clarity = 0.25f + 1.0f * push;
    for (int i = 0; i < n; i++) {
      float lift = clarity * (luma[i] - base[i]);
      img.r[i] += lift;
      img.g[i] += lift;
      img.b[i] += lift;
    }

    float sharpen = 0.2f + 1.0f * push;
    sharpen(img.r, w, h, sharpen);
    sharpen(img.g, w, h, sharpen);
    sharpen(img.b, w, h, sharpen);

    float exposure = 1f + 0.12f * (float) style.brightness();
    float curve = 0.1f + 0.5f * push;
    float saturation = 1f + 0.05f + 0.3f * push + 0.2f * (float) style.saturation();
    float splitTone = 0.06f * push;
    float warmth = 0.04f * (float) style.warmth();
    float vignette = 0.05f + 0.25f * push;
    float grain = 0.003f + 0.015f * push;
    float cx = (w - 1) / 2f;
    float cy = (h - 1) / 2f;
    float inverseHalfDiagonalSquared = 1f / (cx * cx + cy * cy + 1e-6f);

    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        float r = toneCurve(img.r[i] * exposure, curve);
        float g = toneCurve(img.g[i] * exposure, curve);
        float b = toneCurve(img.b[i] * exposure, curve);
        float l = 0.2126f * r + 0.7152f * g + 0.0722f * b;
        r = l + (r - l) * saturation;
        g = l + (g - l) * saturation;
        b = l + (b - l) * saturation;
        float tone = splitTone * (l - 0.5f) + warmth;
        r += tone;
        b -= tone;
        float dx = x - cx;
        float dy = y - cy;
        float shade = 1f - vignette * (dx * dx + dy * dy) * inverseHalfDiagonalSquared;
        long index = i;
        float grainLuma = grain * noise.gaussian(STREAM_GRAIN, index);
        float grainChroma = 0.25f * grain * noise.gaussian(STREAM_GRAIN_CHROMA, index);
        img.r[i] = r * shade + grainLuma + grainChroma;
        img.g[i] = g * shade + grainLuma;
        img.b[i] = b * shade + grainLuma - grainChroma;
      }
    }
  }

  private static void sharpen(float[] channel, int w, int h, float amount) {
    float[] soft = Blur.gaussian(channel, w, h, 1);
    for (int i = 0; i < channel.length; i++) {
      channel[i] += amount * (channel[i] - soft[i]);
    }
  }

  /** Blends an S-curve (smoothstep) into the identity by {@code amount}: deeper shadows, brighter highlights. */
  private static float toneCurve(float v, float amount) {
    float c = v < 0f ? 0f : Math.min(v, 1f);
    float s = c * c * (3f - 2f * c);
    return c + amount * (s - c);
  }

  private static Planes blend(Planes original, Planes rendition, float amount) {
    int n = original.size();
    Planes out = new Planes(original.width, original.height, original.r.clone(), original.g.clone(),
      original.b.clone(), original.alpha == null ? null : original.alpha.clone());
    for (int i = 0; i < n; i++) {
      out.r[i] = clamp01f(original.r[i] + amount * (rendition.r[i] - original.r[i]));
      out.g[i] = clamp01f(original.g[i] + amount * (rendition.g[i] - original.g[i]));
      out.b[i] = clamp01f(original.b[i] + amount * (rendition.b[i] - original.b[i]));
    }
    return out;
  }

  static float[] luminance(Planes img) {
    float[] l = new float[img.size()];
    for (int i = 0; i < l.length; i++) {
      l[i] = 0.2126f * img.r[i] + 0.7152f * img.g[i] + 0.0722f * img.b[i];
    }
    return l;
  }

  /** Bilinear sample with clamped edges. */
  private static float sample(float[] channel, int w, int h, float x, float y) {
    float cx = x < 0f ? 0f : Math.min(x, w - 1f);
    float cy = y < 0f ? 0f : Math.min(y, h - 1f);
    int x0 = (int) cx;
    int y0 = (int) cy;
    int x1 = Math.min(x0 + 1, w - 1);
    int y1 = Math.min(y0 + 1, h - 1);
    float tx = cx - x0;
    float ty = cy - y0;
    float top = channel[y0 * w + x0] + (channel[y0 * w + x1] - channel[y0 * w + x0]) * tx;
    float bottom = channel[y1 * w + x0] + (channel[y1 * w + x1] - channel[y1 * w + x0]) * tx;
    return top + (bottom - top) * ty;
  }

  private static double clamp01(double v) {
    return v < 0 ? 0 : Math.min(v, 1);
  }

  private static float clamp01f(float v) {
    return v < 0f ? 0f : Math.min(v, 1f);
  }
}
