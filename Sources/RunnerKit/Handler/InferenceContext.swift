import ClarifaiAPI
import Logging
import SwiftProtobuf

/// What a ``ModelHandler`` learns about the request it is serving.
public struct InferenceContext: Sendable {
    /// The runner item's id; stable across the messages of one stream-stream call.
    public var itemID: String
    /// The mode being served.
    public var mode: InferenceMode
    /// The model the caller asked for, as named in the request.
    public var model: Clarifai_Api_Model
    /// Inference parameters: the request's `model.model_version.output_info.params`.
    public var params: Google_Protobuf_Struct
    /// The full output info of the request, for handlers that need more than ``params``.
    public var outputInfo: Clarifai_Api_OutputInfo
    /// Set when the caller or the API cancels the item. Swift handlers also see task cancellation;
    /// blocking code that cannot observe that polls this flag.
    public var cancellation: CancellationFlag
    /// A logger carrying the item's metadata.
    public var logger: Logger

    /// Creates a context; the engine makes one per runner item.
    public init(
        itemID: String,
        mode: InferenceMode,
        model: Clarifai_Api_Model = .init(),
        outputInfo: Clarifai_Api_OutputInfo = .init(),
        cancellation: CancellationFlag = CancellationFlag(),
        logger: Logger
    ) {
        self.itemID = itemID
        self.mode = mode
        self.model = model
        self.outputInfo = outputInfo
        self.params = outputInfo.params
        self.cancellation = cancellation
        self.logger = logger
    }
}
