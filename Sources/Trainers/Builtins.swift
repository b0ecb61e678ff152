import Orchestrator
import VL

extension BuiltinRegistry {
  /// The trainers this package ships. Later modules add theirs (e.g. `vlbert`) here.
  public static var standard: BuiltinRegistry { BuiltinRegistry([LogisticRegression(), VLBERTTrainer()]) }
}
