/// One record of an event file: TensorFlow's `Event` message, encoded by hand for the three kinds
/// `ablate` writes (the file version, a scalar, a text summary).
///
/// Field numbers are those of tensorflow/core/util/event.proto, summary.proto and tensor.proto.
public enum TensorBoardEvent: Sendable, Equatable {
  /// The first record of every file: "brain.Event:2".
  case fileVersion(wallTime: Double)
  /// A `Summary.Value` with `simple_value`, as `tf.summary.scalar` v1 writes it.
  case scalar(tag: String, step: Int64, value: Float, wallTime: Double)
  /// A string tensor tagged for the text plugin (Markdown), as `tf.summary.text` writes it.
  case text(tag: String, step: Int64, text: String, wallTime: Double)

  /// The serialized `Event` message.
  public var bytes: [UInt8] {
    var event = ProtobufWriter()
    switch self {
    case .fileVersion(let wallTime):
      event.double(1, wallTime)  // wall_time
      event.string(3, "brain.Event:2")  // file_version
    case .scalar(let tag, let step, let value, let wallTime):
      event.double(1, wallTime)
      event.int64(2, step)  // step
      event.message(5) { summary in  // summary
        summary.message(1) { v in  // value
          v.string(1, tag)  // tag
          v.float(2, value)  // simple_value
        }
      }
    case .text(let tag, let step, let text, let wallTime):
      event.double(1, wallTime)
      event.int64(2, step)
      event.message(5) { summary in
        summary.message(1) { v in
          v.string(1, tag)
          v.message(9) { metadata in  // metadata
            metadata.message(1) { plugin in plugin.string(1, "text") }  // plugin_data.plugin_name
          }
          v.message(8) { tensor in  // tensor
            tensor.int64(1, 7)  // dtype: DT_STRING
            tensor.message(2) { _ in }  // tensor_shape: a scalar
            tensor.string(8, text)  // string_val
          }
        }
      }
    }
    return event.bytes
  }
}
