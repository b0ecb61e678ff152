/// The camera and collection a scene's photo comes from. Version 2 renders the detection set (the
/// Visual Genome analog) and the task images in different domains, so a detector trained on one
/// reads categories and colours of the other imperfectly, and tuning the extractor has something
/// to adapt, as when Visual Genome features meet Conceptual Captions or VCR's movie frames.
public enum RenderDomain: String, Codable, Sendable, CaseIterable {
  /// Version 1's single domain.
  case v1
  /// The detection set: even, neutral light, plain backgrounds, little sensor noise.
  case detection
  /// The task images: uneven light with a colour cast (white balance), cluttered backgrounds, more noise.
  case photo

  struct Parameters {
    var background: ClosedRange<Float>
    var light: ClosedRange<Float>
    /// Largest additive background tint per channel.
    var tint: Float
    /// Largest background brightness change across the image.
    var gradient: Float
    /// Largest multiplicative colour cast per channel (0: none, and no random draws for it).
    var cast: Float
    /// Background blocks of muted colour behind the objects.
    var clutter: Int
    /// Standard deviation of per-pixel sensor noise.
    var noise: Float
  }

  var parameters: Parameters {
    switch self {
    case .v1:
      Parameters(
        background: 0.35...0.6, light: 0.85...1.1, tint: 0.05, gradient: 0.1, cast: 0, clutter: 0,
        noise: 0.045)
    case .detection:
      Parameters(
        background: 0.35...0.6, light: 0.9...1.1, tint: 0.03, gradient: 0.1, cast: 0, clutter: 0, noise: 0.03)
    case .photo:
      Parameters(
        background: 0.25...0.7, light: 0.65...1.25, tint: 0.05, gradient: 0.2, cast: 0.15, clutter: 3,
        noise: 0.07)
    }
  }
}

extension Scene {
  /// The same objects photographed in `domain`: new light, background and noise drawn from `rng`.
  public func photographed(in domain: RenderDomain, rng: inout SeededRandom) -> Scene {
    let p = domain.parameters
    var s = self
    s.domain = domain
    s.background = rng.uniform(p.background)
    s.light = rng.uniform(p.light)
    s.noiseSeed = rng.next()
    return s
  }
}
