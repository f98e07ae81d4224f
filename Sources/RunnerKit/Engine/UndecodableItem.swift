import ClarifaiAPI

/// An item the runner received but could not decode: only its id survived (see
/// ``RunnerItemsDeserializer``). It carries no request, and its status says why, so that the
/// dispatcher answers it with that reason instead of a generic one.
enum UndecodableItem {
    /// The status code that marks such an item; the API never sends it on an incoming item.
    private static let marker = Clarifai_Api_Status_StatusCode.runnerProcessingFailed

    static func make(id: String, reason: String) -> Clarifai_Api_RunnerItem {
        var item = Clarifai_Api_RunnerItem()
        item.id = id
        item.processingInfo.status = .init(code: marker, description: "the runner could not decode this item: \(reason)")
        return item
    }

    /// Why `item` could not be decoded, or nil for an item decoded normally.
    static func reason(_ item: Clarifai_Api_RunnerItem) -> String? {
        guard item.request == nil, item.processingInfo.status.code == marker else { return nil }
        return item.processingInfo.status.description_p
    }
}
