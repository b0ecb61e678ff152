import Testing

@testable import VL

/// Each labelled stream yields the seed its call site computed before the streams had names (the stored
/// stages and the tables depend on them): values from the old arithmetic, for four cell seeds.
@Suite struct SeedStreamTests {
  static let pinned: [Int: [SeedStream.Stream: UInt64]] = [
    0: [
      .modelInit: 1, .bertInitData: 45895, .pretrainData: 2535, .taskHead: 20141,
      .fineTuneData(.vcr): 17, .fineTuneData(.vqa): 18, .fineTuneData(.refcoco): 19,
    ],
    1: [
      .modelInit: 2_685_821_657_736_338_718, .bertInitData: 45896, .pretrainData: 2_654_438_304,
      .taskHead: 20142,
      .fineTuneData(.vcr): 11_400_714_819_323_198_502, .fineTuneData(.vqa): 11_400_714_819_323_198_503,
      .fineTuneData(.refcoco): 11_400_714_819_323_198_504,
    ],
    7: [
      .modelInit: 354_007_530_444_819_404, .bertInitData: 45902, .pretrainData: 18_581_052_918,
      .taskHead: 20148,
      .fineTuneData(.vcr): 6_018_027_440_424_182_948, .fineTuneData(.vqa): 6_018_027_440_424_182_949,
      .fineTuneData(.refcoco): 6_018_027_440_424_182_950,
    ],
    123_456_789: [
      .modelInit: 18_187_965_508_434_615_394, .bertInitData: 123_502_684,
      .pretrainData: 327_708_116_647_488_276,
      .taskHead: 123_476_930, .fineTuneData(.vcr): 13_722_978_258_477_121_226,
      .fineTuneData(.vqa): 13_722_978_258_477_121_227, .fineTuneData(.refcoco): 13_722_978_258_477_121_228,
    ],
  ]

  @Test(arguments: [0, 1, 7, 123_456_789]) func streamsKeepTheirSeeds(seed: Int) throws {
    let expected = try #require(Self.pinned[seed])
    for (stream, value) in expected { #expect(SeedStream(cell: seed).seed(stream) == value, "\(stream)") }
  }

  @Test func theStreamsOfOneCellDiffer() {
    let streams: [SeedStream.Stream] =
      [.modelInit, .bertInitData, .pretrainData, .taskHead] + FineTuneTask.allCases.map { .fineTuneData($0) }
    let seeds = streams.map { SeedStream(cell: 3).seed($0) }
    #expect(Set(seeds).count == streams.count)
  }
}
