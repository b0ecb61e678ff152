import ArgumentParser
import Experiments
import Foundation
import Primitives
import Report

/// `ablate report SPEC`: the spec's table from the store, beside the paper's numbers, with holes and provenance.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Render a spec's table (Markdown, HTML, LaTeX, CSV, JSON) beside the paper's numbers.")

  enum Format: String, ExpressibleByArgument, CaseIterable { case md, html, latex, csv, json }

  @OptionGroup var experiment: ExperimentOptions
  @Option(help: "md, html (one self-contained file, plots inline), latex, csv or json.") var format: Format =
    .md
  @Option(help: "Write here (atomically) instead of stdout; Markdown plots go beside it as SVG files.")
  var out: String?
  @Option(help: "A Markdown template to use instead of the built-in one (copy templates/report.md.mustache).")
  var template: String?
  @Option(help: "Smooth the curves as TensorBoard does: EMA weight in [0, 1), 0 draws the raw curves.")
  var smoothing: Double = 0

  func run() throws {
    let experiment = try self.experiment.open()
    let paper = PaperTables.embedded()
    if let section = experiment.spec.report {
      let problems = paper.check(section, file: self.experiment.spec)
      if !problems.isEmpty { throw CLIError.badInput(problems.map(\.description)) }
    }
    guard smoothing >= 0, smoothing < 1 else {
      throw CLIError.badInput(
        "--smoothing \(smoothing): must be at least 0 and below 1 (hint: TensorBoard's default is 0.6)")
    }
    if template != nil, format != .md { throw CLIError.badInput("--template applies to --format md only") }
    let templateText: String
    if let template {
      guard let text = try? String(contentsOfFile: template, encoding: .utf8) else {
        throw CLIError.badInput(
          "\(template): cannot read the template (hint: copy templates/report.md.mustache)")
      }
      templateText = text
    } else {
      templateText = Report.defaultMarkdownTemplate
    }
    let wantsPlots = (format == .md && out != nil) || format == .html
    let report = try experiment.report(paper: paper, command: regenerateCommand(), curves: wantsPlots)

    if let out {
      // `--out reports/table.md` makes `reports/` as `mkdir -p` would: the report is the thing asked for.
      let folder = URL(fileURLWithPath: out).deletingLastPathComponent()
      try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }
    let text: String
    switch format {
    case .md:
      var links: [(title: String, path: String)] = []
      if let out, wantsPlots {
        let folder = URL(fileURLWithPath: out).deletingLastPathComponent()
        let stem = URL(fileURLWithPath: out).deletingPathExtension().lastPathComponent
        for plot in report.plots(prefix: stem, smoothing: smoothing) + report.attachmentPlots(prefix: stem) {
          try write(plot.svg, to: folder.appendingPathComponent(plot.fileName).path)
          links.append((plot.title, plot.fileName))
        }
      }
      do { text = try report.markdown(template: templateText, plots: links) } catch {
        throw CLIError.badInput(
          "\(template ?? "built-in template"):\(error.description) (hint: compare with templates/report.md.mustache)"
        )
      }
    case .html:
      text = report.htmlDocument(
        plots: report.plots(prefix: "report", smoothing: smoothing) + report.attachmentPlots(prefix: "report")
      )
    case .latex: text = report.latex()
    case .csv: text = report.csv()
    case .json: text = report.json()
    }
    if let out {
      try write(text, to: out)
    } else {
      FileHandle.standardOutput.write(Data(text.utf8))
    }
  }

  /// Atomically, so a reader never sees half a report; a place that cannot be written is bad input.
  private func write(_ text: String, to path: String) throws {
    do { try AtomicFile.write(text, to: path) } catch {
      throw CLIError.badInput(
        error.step == .create
          ? "\(path): cannot write here (hint: does the folder exist?)"
          : "\(path): cannot write (\(error.reason))")
    }
  }

  private func regenerateCommand() -> String {
    (["ablate"] + CommandLine.arguments.dropFirst()).map { arg in
      arg.contains(where: { $0 == " " || $0 == "'" || $0 == "\"" })
        ? "'" + arg.replacingOccurrences(of: "'", with: "'\\''") + "'" : arg
    }.joined(separator: " ")
  }
}
