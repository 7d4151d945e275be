package dev.promptlab.evolution.analysis;

import java.util.List;

/**
 * The problems trainers report about enhanced renders, with the words that reveal them in Spanish and English
 * comments. A <em>symptom</em> word names the problem by itself ("borroso", "warped"); an <em>aspect</em> word
 * only names one when its clause also carries a complaint ("poca profundidad", "lighting is off"), so "good
 * depth" is not counted. A trailing {@code *} matches any word ending; words are matched without accents.
 */
public enum IssueKind {

  FLAT_MONTAGE("flat, montage-like look",
    List.of("flat", "plano", "plana", "planos", "planas", "montage*", "montaje*", "collage*", "pasted", "pegad*",
      "recortad*", "cutout*", "cut out", "photoshop*", "superpuest*", "sticker*"),
    List.of()),
  DEPTH("lack of depth",
    List.of("no depth", "sin profundidad"),
    List.of("depth", "profundidad*", "perspectiv*", "3d", "volume*", "volumen*", "dimension*")),
  LIGHTING("unrealistic lighting or shadows",
    List.of("dark*", "oscur*", "overexpos*", "sobreexpuest*", "quemad*", "underexpos*", "subexpuest*", "harsh light*",
      "blown out"),
    List.of("light*", "ilumin*", "luz", "luces", "shadow*", "sombra*", "exposure", "exposicion")),
  TEXTURES("artificial textures and materials",
    List.of("plastic*", "plastico*", "waxy", "ceros*"),
    List.of("texture*", "textura*", "material*", "surface*", "superficie*", "madera", "wood", "marble", "marmol")),
  BLUR("blurry, soft or low detail",
    List.of("blur*", "borros*", "desenfoc*", "difuminad*", "out of focus", "fuzzy", "pixelat*", "pixelad*"),
    List.of("sharp*", "nitid*", "detail*", "detalle*", "definicion", "resolution", "resolucion", "focus", "enfoque")),
  NOISE("noise, grain or artifacts",
    List.of("noise", "noisy", "grain*", "granulad*", "ruido*", "artifact*", "artefact*", "manchas", "compression"),
    List.of()),
  GEOMETRY("distorted or warped geometry",
    List.of("distort*", "distorsion*", "warp*", "deform*", "torcid*", "curvad*", "bent", "crooked", "melt*",
      "derretid*", "skew*", "chueco*"),
    List.of("line*", "linea*", "geometr*", "proportion*", "proporcion*", "wall*", "pared*", "corner*", "esquina*")),
  COLOUR("colours changed or unnatural",
    List.of("oversaturat*", "sobresaturad*", "saturad*", "washed out", "desaturat*", "desaturad*", "color shift",
      "colour shift", "tint*"),
    List.of("color*", "colour*", "tono*", "tonalidad*", "white balance", "balance de blancos")),
  LAYOUT("layout or objects changed",
    List.of("missing", "moved", "movid*", "desaparec*", "disappear*", "invent*", "extra object*", "objetos nuevos",
      "added object*", "new object*"),
    List.of("layout", "distribucion", "object*", "objeto*", "mueble*", "furniture", "element*", "estructura",
      "structure", "shape*", "forma*", "window*", "ventana*", "door*", "puerta*")),
  CGI_LOOK("looks like a CGI render or a drawing",
    List.of("cgi", "render*", "cartoon*", "caricatur*", "dibuj*", "drawing", "drawn", "painting", "pintura*",
      "videojuego*", "video game", "artificial*", "fake", "fals*", "irreal*", "unreal*", "unrealistic",
      "no parece real", "poco realista", "not realistic", "not photorealistic"),
    List.of("realis*", "photoreal*", "fotorreal*")),
  REFLECTIONS("missing or wrong reflections",
    List.of("no reflections", "sin reflejos"),
    List.of("reflect*", "reflej*", "brillo*", "gloss*", "shine", "shiny"));

  private final String label;
  private final List<String> symptoms;
  private final List<String> aspects;

  IssueKind(String label, List<String> symptoms, List<String> aspects) {
    this.label = label;
    this.symptoms = symptoms;
    this.aspects = aspects;
  }

  /** A short English description, shown to admins and sent to the LLM. */
  public String label() {
    return label;
  }

  /** The stable key stored with versions ({@code flat_montage}, {@code depth} ...). */
  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  List<String> symptoms() {
    return symptoms;
  }

  List<String> aspects() {
    return aspects;
  }
}
