import Foundation
import Primitives

/// Pictures of the world for people: a few scenes, enlarged, with their ground-truth boxes and
/// the captions, questions and expressions written about them.
public enum WorldShow {
  /// Lines of text that go with image `id`.
  static func notes(_ layout: WorldLayout, image id: Int) -> [String] {
    var lines: [String] = []
    for c in layout.captions where c.image == id {
      lines.append("caption\(c.aligned ? "" : " (unaligned)"): \(c.caption)")
    }
    for q in layout.vqa where q.image == id { lines.append("Q: \(q.question)  A: \(q.truth)") }
    for q in layout.vcr where q.image == id {
      lines.append("VCR: \(q.question)")
      lines.append("  A: \(q.answers[q.answerLabel])")
      lines.append("  R: \(q.rationales[q.rationaleLabel])")
    }
    for r in layout.refcoco where r.image == id {
      lines.append("ref: \"\(r.expression)\" -> box \(r.target)")
    }
    return lines
  }

  /// One image from each dataset (the first `count` of them), as an SVG with boxes and text.
  public static func svg(_ layout: WorldLayout, images ids: [Int], zoom: Int = 5) -> String {
    let s = Scene.size * zoom
    let rowHeight = s + 20
    let width = s + 760
    var out =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(rowHeight * ids.count + 10)\" font-family=\"monospace\" font-size=\"11\">\n"
    out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    for (row, id) in ids.enumerated() {
      let scene = layout.scenes[id]
      let image = scene.render()
      let top = row * rowHeight + 10
      // The scene itself as an embedded 48x48 PNG, enlarged without smoothing.
      let png = PNG.encode(image).base64EncodedString()
      out += "<g transform=\"translate(10,\(top))\">\n"
      out +=
        "<image width=\"\(s)\" height=\"\(s)\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,\(png)\"/>\n"
      for (k, o) in scene.objects.enumerated() {
        let b = o.box
        out +=
          "<rect x=\"\(Int(b.x1) * zoom)\" y=\"\(Int(b.y1) * zoom)\" width=\"\(Int(b.width) * zoom)\" height=\"\(Int(b.height) * zoom)\" fill=\"none\" stroke=\"lime\" stroke-width=\"1.5\"/>"
        out +=
          "<text x=\"\(Int(b.x1) * zoom + 2)\" y=\"\(Int(b.y1) * zoom + 11)\" fill=\"lime\">\(k)</text>\n"
      }
      out += "</g>\n"
      let record = layout.images[id]
      var lines = [
        "image \(id): \(record.dataset.rawValue)/\(record.split.rawValue), \(record.kind.rawValue) scene"
      ]
      lines += scene.objects.enumerated().map { k, o in
        "  \(k): \(o.size.word) \(o.colour.word) \(o.texture.word) \(o.category.word)"
      }
      lines += notes(layout, image: id)
      for (i, line) in lines.prefix(s / 13).enumerated() {
        out += "<text x=\"\(s + 20)\" y=\"\(top + 12 + i * 13)\">\(line.xmlEscaped)</text>\n"
      }
    }
    return out + "</svg>\n"
  }

  /// The scene enlarged `zoom` times with its ground-truth boxes drawn in, as PNG bytes.
  public static func png(_ scene: Scene, zoom: Int = 5) -> [UInt8] {
    let image = scene.render()
    let s = image.width * zoom
    var pixels = [UInt8](repeating: 0, count: s * s * 3)
    for y in 0..<s {
      for x in 0..<s {
        let src = ((y / zoom) * image.width + x / zoom) * 3
        let dst = (y * s + x) * 3
        pixels[dst] = image.pixels[src]
        pixels[dst + 1] = image.pixels[src + 1]
        pixels[dst + 2] = image.pixels[src + 2]
      }
    }
    for o in scene.objects {
      let x1 = Int(o.box.x1) * zoom
      let y1 = Int(o.box.y1) * zoom
      let x2 = Int(o.box.x2) * zoom - 1
      let y2 = Int(o.box.y2) * zoom - 1
      for x in x1...x2 {
        for y in [y1, y2] { pixels[(y * s + x) * 3..<(y * s + x) * 3 + 3] = [0, 255, 0] }
      }
      for y in y1...y2 {
        for x in [x1, x2] { pixels[(y * s + x) * 3..<(y * s + x) * 3 + 3] = [0, 255, 0] }
      }
    }
    return [UInt8](PNG.encode(Image(width: s, height: s, pixels: pixels)))
  }
}

extension String {
  init(format3 r: UInt8, _ g: UInt8, _ b: UInt8) {
    let digits = Array("0123456789abcdef")
    self = String([r, g, b].flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
  }
}
