/// The downstream tasks, by the names settings and YAML use; `type` maps each to its `DownstreamTask`.
public enum FineTuneTask: String, Sendable, CaseIterable, Codable {
  case vcr, vqa, refcoco
}
