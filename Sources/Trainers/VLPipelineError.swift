/// A cell the pipeline cannot run as configured.
public struct VLPipelineError: Error, CustomStringConvertible {
  public var description: String
}
