import Foundation
import NN
import Primitives
import World

/// Attention probabilities for a few fixed validation captions, as VL-BERT's visualisation reads them:
/// `<sample>.npy` (float32 `[layers, heads, L, L]`) and `<sample>.json` (tokens, kinds, layers, heads).
public enum AttentionExport {
  public static func write(model: VLModel, view: WorldView, count: Int, to directory: URL) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let captions = view.world.captions.filter { $0.split == .val }.prefix(count)
    let v = view.vocabulary
    for c in captions {
      let seq = VLSequence(
        a: view.tokens(c.caption), whole: view.whole(c.image), regions: view.detected(c.image), vocabulary: v)
      let batch = VLBatch([seq], padID: v.padID)
      let maps = model.encoder.attentionMaps(batch)
      let names = seq.tokens.enumerated().map { i, t in
        t == VLSequence.imgID(v)
          ? "[IMG\(i - seq.textCount)]" : t == VLSequence.endID(v) ? "[END]" : v.token(t)
      }
      let length = maps.length
      let json: [String: Any] = [
        "tokens": Array(names.prefix(length)), "kinds": seq.kinds.prefix(length).map(\.rawValue),
        "layers": maps.layers, "heads": maps.heads, "caption": c.caption, "image": c.image,
      ]
      let stem = c.id
      try NPYArray(shape: [maps.layers, maps.heads, length, length], floats: maps.values).encoded()
        .write(to: directory.appendingPathComponent(stem + ".npy"), options: .atomic)
      let data = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
      try data.write(to: directory.appendingPathComponent(stem + ".json"), options: .atomic)
    }
  }

}
