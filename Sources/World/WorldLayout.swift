/// The part of the world that needs no detector: scenes and every dataset's annotations.
/// A pure function of (seed, scale), cheap to regenerate (it is what `world show` draws).
public struct WorldLayout: Sendable {
  public var seed: UInt64
  public var scale: WorldScale
  public var version: WorldVersion
  /// How often each concept occurs (nil: uniformly, version 1).
  public var prior: ConceptPrior?
  /// Every image's scene; the image id is the index.
  public var scenes: [Scene]
  public var images: [ImageRecord]
  public var captions: [CaptionSample] = []
  public var text: [TextSample] = []
  public var vqa: [VQASample] = []
  public var vcr: [VCRSample] = []
  public var refcoco: [RefSample] = []
  /// The fine-tuning training sets (VQA, VCR, RefCOCO+) hold this many times their scale's images; the
  /// extra images come after every other image and their items after the 1x world's training items, each
  /// from its own stream, so every image and item of the 1x world is the same, with the same id.
  public var finetuneMultiple: Int
  /// Images of the 1x world: the first ones (the extra training images follow them).
  public var baseImageCount: Int

  /// Splits of each dataset, in a fixed order.
  static func splits(_ counts: [Split: Int]) -> [(Split, Int)] {
    Split.allCases.compactMap { s in counts[s].map { (s, $0) } }
  }

  public init(seed: UInt64, scale: WorldScale, version: WorldVersion = .standard, finetuneMultiple: Int = 1) {
    precondition(finetuneMultiple >= 1, "finetuneMultiple must be at least 1")
    self.seed = seed
    self.scale = scale
    self.version = version
    self.finetuneMultiple = finetuneMultiple
    let sizes = scale.sizes(for: version)
    let root = SeededRandom(seed: seed)
    let v2 = version >= .v2
    let prior = v2 ? ConceptPrior.longTailed(root.split("concepts")) : nil
    self.prior = prior
    scenes = []
    images = []
    baseImageCount = 0

    // Scenes: one pool per dataset and split, so no scene is in two splits (or two datasets).
    func addScenes(_ dataset: DatasetName, _ counts: [Split: Int], from first: Int = 0) -> [Split: [Int]] {
      var ids: [Split: [Int]] = [:]
      for (split, n) in WorldLayout.splits(counts) {
        for i in first..<n {
          var rng = root.split("scene/\(dataset.rawValue)/\(split.rawValue)", i)
          let kind = dataset == .refcoco ? RefCOCO.kind(for: split, rng: &rng) : .mixed
          let photo = dataset == .captions && version >= .v3
          let scene = Scene.generate(
            id: scenes.count, kind: kind, count: photo ? Captions.subjectPhotoObjects : sizes.objects,
            rng: &rng,
            prior: prior, domain: v2 ? .photo : .v1, subject: photo)
          ids[split, default: []].append(scene.id)
          images.append(
            ImageRecord(id: scene.id, dataset: dataset, split: split, kind: kind, objects: scene.objects))
          scenes.append(scene)
        }
      }
      return ids
    }
    let captionIDs = addScenes(.captions, sizes.captionImages)
    var vqaIDs = addScenes(.vqa, sizes.vqaImages)
    var vcrIDs = addScenes(.vcr, sizes.vcrImages)
    var refIDs = addScenes(.refcoco, sizes.refImages)
    baseImageCount = scenes.count
    if finetuneMultiple > 1 {
      // The extra training scenes continue each training split's streams (`scene/vqa/train #n`, ...).
      func extra(_ dataset: DatasetName, _ counts: [Split: Int]) -> [Int] {
        let n = counts[.train] ?? 0
        return addScenes(dataset, [.train: n * finetuneMultiple], from: n)[.train] ?? []
      }
      vqaIDs[.train, default: []] += extra(.vqa, sizes.vqaImages)
      vcrIDs[.train, default: []] += extra(.vcr, sizes.vcrImages)
      refIDs[.train, default: []] += extra(.refcoco, sizes.refImages)
    }

    for (split, ids) in captionIDs.sorted(by: { $0.key < $1.key }) {
      for (i, image) in ids.enumerated() {
        var rng = root.split("caption/\(split.rawValue)", i)
        let aligned = !rng.chance(Captions.misalignedRate) || ids.count < 2
        var source = image
        if !aligned {
          let j = (i + rng.int(1...(ids.count - 1))) % ids.count
          source = ids[j]
        }
        let caption =
          version >= .v3
          ? Captions.subjectAltText(for: scenes[source], rng: &rng)
          : v2
            ? Captions.altText(for: scenes[source], rng: &rng)
            : Captions.caption(for: scenes[source], rng: &rng)
        captions.append(
          CaptionSample(
            id: "cap-\(split.rawValue)-\(i)", image: image, split: split, caption: caption, aligned: aligned))
      }
    }

    for (split, n) in WorldLayout.splits(sizes.textSentences) {
      for i in 0..<n {
        var rng = root.split("text/\(split.rawValue)", i)
        text.append(
          TextSample(
            id: "text-\(split.rawValue)-\(i)", split: split,
            text: v2 ? TextCorpus.passage(rng: &rng) : TextCorpus.sample(rng: &rng)))
      }
    }

    for (split, ids) in vqaIDs.sorted(by: { $0.key < $1.key }) {
      for (i, image) in ids.enumerated() {
        var rng = root.split("vqa/\(split.rawValue)", i)
        var asked = Set<String>()
        for _ in 0..<(sizes.vqaPerImage * 6) where asked.count < sizes.vqaPerImage {
          guard let q = VQA.question(for: scenes[image], rng: &rng), !asked.contains(q.text) else { continue }
          asked.insert(q.text)
          vqa.append(
            VQASample(
              id: "vqa-\(split.rawValue)-\(i)-\(asked.count - 1)", image: image, split: split, type: q.type,
              question: q.text, answers: VQA.annotate(q, rng: &rng), truth: q.truth))
        }
      }
    }

    for (split, ids) in vcrIDs.sorted(by: { $0.key < $1.key }) {
      for (i, image) in ids.enumerated() {
        var rng = root.split("vcr/\(split.rawValue)", i)
        var asked = Set<String>()
        for _ in 0..<(sizes.vcrPerImage * 6) where asked.count < sizes.vcrPerImage {
          guard
            let item = v2
              ? VCR.nestedItem(for: scenes[image], rng: &rng) : VCR.item(for: scenes[image], rng: &rng),
            !asked.contains(item.question)
          else {
            continue
          }
          asked.insert(item.question)
          vcr.append(
            VCRSample(
              id: "vcr-\(split.rawValue)-\(i)-\(asked.count - 1)", image: image, split: split,
              type: item.type,
              question: item.question, answers: item.answers, answerLabel: item.answerLabel,
              rationales: item.rationales, rationaleLabel: item.rationaleLabel, object: item.object))
        }
      }
    }

    for (split, ids) in refIDs.sorted(by: { $0.key < $1.key }) {
      for (i, image) in ids.enumerated() {
        var rng = root.split("ref/\(split.rawValue)", i)
        var said = Set<String>()
        for _ in 0..<(sizes.refPerImage * 6) where said.count < sizes.refPerImage {
          guard let (text, target) = RefCOCO.expression(for: scenes[image], split: split, rng: &rng),
            !said.contains(text)
          else { continue }
          said.insert(text)
          refcoco.append(
            RefSample(
              id: "ref-\(split.rawValue)-\(i)-\(said.count - 1)", image: image, split: split,
              expression: text,
              target: target, box: scenes[image].objects[target].box.normalized(by: Scene.size)))
        }
      }
    }
  }

  /// Scenes for the detector's own training (the Visual Genome analog), apart from every dataset;
  /// in version 2 photographed in the detection set's own domain.
  public func detectorScenes() -> [Scene] {
    let root = SeededRandom(seed: seed)
    let sizes = scale.sizes(for: version)
    return (0..<sizes.detectorScenes).map { i in
      var rng = root.split("scene/detector", i)
      return Scene.generate(
        id: -1 - i, kind: .mixed, count: sizes.objects, rng: &rng, prior: prior,
        domain: version >= .v2 ? .detection : .v1)
    }
  }
}
