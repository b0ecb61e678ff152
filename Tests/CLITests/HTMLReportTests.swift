import Foundation
import Testing

/// `ablate report --format html`: one self-contained file with the same numbers as the Markdown report.
@Suite struct HTMLReportTests {
  /// Every "mean ± std" in a text, in order.
  static func values(_ text: String) -> [String] {
    text.matches(of: /-?[0-9]+\.[0-9]+ ± [0-9]+\.[0-9]+/).map { String($0.output) }
  }

  @Test func htmlReportIsSelfContainedAndMatchesTheMarkdown() throws {
    let cli = try CLI()
    try cli.write(
      "spec.yaml",
      """
      name: lr
      trainer: {builtin: logreg}
      baseline: {lr: 0.5, epochs: 15}
      variants:
        - {name: "tiny <lr> & co", set: {lr: 0.001}}
        - {name: unrun, set: {epochs: 5}}
      seeds: [1, 2]

      """)
    #expect(
      try cli.run("run", "spec.yaml", "--jobs", "2", "--only", "baseline", "tiny <lr> & co").status == 0)
    let md = try cli.run("report", "spec.yaml")
    #expect(md.status == 0, "\(md.stderr)")
    let html = try cli.run("report", "spec.yaml", "--format", "html", "--smoothing", "0.6", "--out", "r.html")
    #expect(html.status == 0, "\(html.stderr)")
    let page = cli.read("r.html")
    #expect(page.hasPrefix("<!doctype html>"))
    #expect(page.contains("<table class=\"report\">"))
    #expect(page.contains("@media print"))
    #expect(page.contains("<svg class=\"plot\""))  // the loss curves, inline
    #expect(page.contains("smoothed 0.6"))
    #expect(page.contains("tiny &lt;lr&gt; &amp; co"))  // labels are escaped, never markup
    #expect(!page.contains("<lr>"))
    // Nothing from elsewhere: no scripts, no external links or images.
    #expect(!page.contains("<script"))
    #expect(!page.contains("src="))
    #expect(!page.contains("href=\"http"))
    // The same numbers as the Markdown table, in the same order, and the same holes.
    let numbers = Self.values(md.stdout)
    #expect(!numbers.isEmpty)
    #expect(Self.values(page) == numbers)
    #expect(md.stdout.contains("**hole**: 2 not run"))
    #expect(page.contains("<span class=\"hole\">hole</span>: 2 not run"))

    let bad = try cli.run("report", "spec.yaml", "--format", "html", "--smoothing", "1.5")
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("--smoothing"))
  }
}
