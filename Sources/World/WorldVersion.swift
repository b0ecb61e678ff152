/// A named version of the world's generators. Results are compared only within one version, and a
/// version is never changed once tables have been run on it: a change is a new version, and the
/// older one (its cache directory, its stage identities, its reports) stays valid as it was.
public enum WorldVersion: Int, Codable, Sendable, CaseIterable, Comparable {
  /// The first world: uniform concepts, a detector trained on grey crops for categories only, captions
  /// as many as a few fine-tuning sets, VCR rationales that restate the purpose facts.
  case v1 = 1
  /// The paper's data regime: a detector with category and attribute heads trained on its own
  /// detection set under a domain shift, a long-tailed caption corpus far larger than every
  /// fine-tuning set, alt-text noise, VCR in the text corpus's nested language, and purpose facts
  /// stated only in the text corpus (docs/world.md).
  case v2 = 2
  /// Version 2 with caption photos framed on a subject, as web photos are: one large, unoccluded object among
  /// two to four, which the alt text always names, beside a smaller one it names by salience (docs/world.md).
  /// Task images, the detection set, the text corpus and every size stay version 2's.
  case v3 = 3

  /// What a config without `world.version` gets: v2, since its grounding pilot fixed its sizes (issue 13;
  /// docs/world.md). The committed v1 reports stay v1's (`world.version: 1`).
  public static let standard: WorldVersion = .v2

  public static func < (a: WorldVersion, b: WorldVersion) -> Bool { a.rawValue < b.rawValue }
}
