import Foundation
import Testing

/// `ablate world --world-version`: version 2 builds and reports the paper's corpus ratios; an unknown
/// version is bad input (one located line, exit 2, nothing built or cached).
@Suite struct WorldCommandTests {
  @Test func versionTwoStatsReportTheCorpusRatiosAndTheAttributeDetector() throws {
    let cli = try CLI()
    let r = try cli.run(
      "world", "stats", "--scale", "smoke", "--seed", "3", "--world-version", "2", "--json", "--cache",
      cli.root + "/cache")
    #expect(r.status == 0, "\(r.stderr)")
    let stats = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    #expect(stats["version"] as? Int == 2)
    let paper = ["vqa": 7.4, "vcr": 11.0, "refcoco": 23.0]
    let ratios = stats["ratios"] as! [[String: Any]]
    #expect(ratios.count == 3)
    for ratio in ratios {
      let task = ratio["task"] as! String
      #expect(ratio["captionsPerItem"] as! Double >= paper[task]!, "\(ratio)")
    }
    let detector = stats["detector"] as! [String: Any]
    #expect(detector["colourAccuracy"] as! Double > 0.5 && detector["taskDomain"] != nil)
    #expect(FileManager.default.fileExists(atPath: cli.root + "/cache/world-smoke-3-v2/world.json"))
  }

  @Test func anUnknownWorldVersionIsBadInput() throws {
    let cli = try CLI()
    let r = try cli.run(
      "world", "stats", "--scale", "smoke", "--world-version", "4", "--cache", cli.root + "/cache")
    #expect(r.status == 2)
    #expect(
      r.stderr == "ablate: --world-version:1:1: unknown world version 4 (hint: use 1, 2 or 3)\n",
      "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: cli.root + "/cache"))
  }
}
