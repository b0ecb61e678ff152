import Foundation
import Primitives
import Testing

@testable import Spec

/// Input that is not a well-formed spec at all: every case gets one clear line, never a crash.
@Suite struct FileInputTests {
  @Test func emptyFile() throws {
    let folder = try SpecFolder()
    let path = try folder.write("empty.yaml", "")
    #expect(
      folder.errors("empty.yaml") == [
        "\(path):1:1: file is empty (hint: a spec needs at least 'name', 'trainer' and 'baseline')"
      ])
    let comments = try folder.write("comments.yaml", "# nothing here\n\n")
    #expect(
      folder.errors("comments.yaml") == [
        "\(comments):1:1: file has no YAML content (only blank lines or comments) (hint: a spec needs at least 'name', 'trainer' and 'baseline')"
      ])
  }

  @Test func emptyDocument() {
    #expect(
      errorLines("---\n# nothing\n...\n") == [
        "spec.yaml:1:1: file has no YAML content (only blank lines or comments) (hint: a spec needs at least 'name', 'trainer' and 'baseline')"
      ])
  }

  @Test func binaryGarbage() throws {
    let folder = try SpecFolder()
    let elf = try folder.write("a.out", Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00]))
    #expect(
      folder.errors("a.out") == [
        "\(elf):1:1: file contains binary data (control character U+007F) (hint: a spec is a YAML text file in UTF-8)"
      ])
    let nul = try folder.write("nul.yaml", Data("name: x\nab\u{0}".utf8))
    #expect(
      folder.errors("nul.yaml") == [
        "\(nul):2:3: file contains binary data (control character U+0000) (hint: a spec is a YAML text file in UTF-8)"
      ])
  }

  @Test func invalidUTF8() throws {
    let folder = try SpecFolder()
    let path = try folder.write("latin1.yaml", Data("name: caf".utf8) + Data([0xE9, 0x0A]))
    #expect(
      folder.errors("latin1.yaml") == [
        "\(path):1:10: file is not UTF-8 text (invalid byte 0xE9 at offset 9) (hint: a spec is a YAML text file in UTF-8)"
      ])
  }

  @Test func tabsInIndentation() {
    #expect(
      errorLines("name: t\nbaseline:\n\tlr: 1\n") == [
        "spec.yaml:3:1: tab character in indentation (hint: YAML forbids tabs for indentation; use spaces)"
      ])
    #expect(
      errorLines("name: t\nbaseline:\n  lr: 1\n  \twd: 2\n") == [
        "spec.yaml:4:3: tab character in indentation (hint: YAML forbids tabs for indentation; use spaces)"
      ])
  }

  @Test func duplicateKeys() {
    #expect(
      errorLines(header + "name: u\n") == [
        "spec.yaml:4:1: duplicate key 'name' (hint: 'name' is already defined at line 1, column 1)"
      ])
    #expect(
      errorLines("name: t\ntrainer: {builtin: x}\nbaseline:\n  lr: 1\n  # a comment\n\n  wd: 2\n  lr: 3\n")
        == [
          "spec.yaml:8:3: duplicate key 'lr' (hint: 'lr' is already defined at line 4, column 3)"
        ])
    #expect(
      errorLines("name: t\ntrainer: {builtin: x}\nbaseline: {lr: 1, lr: 2}\n") == [
        "spec.yaml:3:19: duplicate key 'lr' (hint: 'lr' is already defined at line 3, column 12)"
      ])
    #expect(
      errorLines(header + "variants:\n  - name: a\n    set: {optim.lr: 1}\n    name: b\n") == [
        "spec.yaml:7:5: duplicate key 'name' (hint: 'name' is already defined at line 5, column 5)"
      ])
  }

  @Test func yamlSyntaxErrors() {
    #expect(
      errorLines(header + "grid: [1, 2\n") == [
        "spec.yaml:5:1: invalid YAML: did not find expected ',' or ']' (hint: while parsing a flow sequence at line 4, column 7)"
      ])
    #expect(
      errorLines(header + "description: a: b\n") == [
        "spec.yaml:4:15: invalid YAML: mapping values are not allowed in this context (hint: quote a value that contains ': ', or start a nested mapping on a new line)"
      ])
    #expect(
      errorLines(header + "seeds: *nope\n") == ["spec.yaml:4:8: invalid YAML: found undefined alias"])
  }

  @Test func byteOrderMarkAndCRLFAreFine() throws {
    let folder = try SpecFolder()
    let crlf = demoSpec.replacingOccurrences(of: "\n", with: "\r\n")
    try folder.write("windows.yaml", Data([0xEF, 0xBB, 0xBF]) + Data(crlf.utf8))
    #expect(folder.errors("windows.yaml") == [])
    let path = try folder.write(
      "dup.yaml", (header + "name: u\n").replacingOccurrences(of: "\n", with: "\r\n"))
    #expect(
      folder.errors("dup.yaml") == [
        "\(path):4:1: duplicate key 'name' (hint: 'name' is already defined at line 1, column 1)"
      ])
  }

  @Test func deepNestingIsRefused() {
    #expect(
      errorLines(header + "description: " + String(repeating: "[", count: 5000) + "\n") == [
        "spec.yaml:4:15: invalid YAML: values nested too deeply (hint: YAML input may nest at most 1000 levels)"
      ])
  }

  @Test func unsupportedTags() {
    #expect(
      errorLines(header + "description: !!binary aGVsbG8=\n") == [
        "spec.yaml:4:14: unsupported YAML tag 'tag:yaml.org,2002:binary' (hint: use plain values; the tags !!str, !!int, !!float, !!bool and !!null are understood)"
      ])
    #expect(errorLines(header + "seeds: [!!int 3]\n").isEmpty)
  }

  @Test func missingFileAndFolder() throws {
    let folder = try SpecFolder()
    #expect(folder.errors("nope.yaml") == ["\(folder.path)/nope.yaml:1:1: cannot read spec: does not exist"])
    try FileManager.default.createDirectory(
      atPath: folder.path + "/dir.yaml", withIntermediateDirectories: true)
    #expect(
      folder.errors("dir.yaml") == ["\(folder.path)/dir.yaml:1:1: cannot read spec: is a folder, not a file"])
  }

  @Test func aliasBombIsRefused() {
    var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    for i in 1...7 {
      yaml += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
    }
    let lines = errorLines(yaml)
    #expect(lines.count == 1)
    #expect(lines.first?.contains("document is too large") == true)
  }

  /// Random bytes and random mutations of a valid spec: always one-line located errors or a spec, never a crash.
  @Test func garbageNeverCrashes() throws {
    var rng = SplitMix64(seed: 42)
    let pattern = /^(spec\.yaml|--set):\d+:\d+: [^\n]+$/
    var inputs: [String] = []
    for _ in 0..<200 {
      let bytes = (0..<Int(rng.next() % 64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      inputs.append(String(decoding: bytes, as: UTF8.self))
    }
    let alphabet = Array(" \n\t:-[]{},#&*!|>'\"%@`0123456789abcxyz.")
    for _ in 0..<400 {
      var chars = Array(demoSpec)
      for _ in 0..<(1 + Int(rng.next() % 4)) {
        let i = Int(rng.next() % UInt64(chars.count))
        switch rng.next() % 3 {
        case 0: chars[i] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
        case 1: chars.remove(at: i)
        default: chars.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: i)
        }
      }
      inputs.append(String(chars))
    }
    for input in inputs {
      for line in errorLines(input) {
        #expect(line.wholeMatch(of: pattern) != nil, "\(line)")
      }
    }
  }
}
