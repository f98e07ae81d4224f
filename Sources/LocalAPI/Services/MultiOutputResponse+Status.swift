import ClarifaiAPI

extension Clarifai_Api_MultiOutputResponse {
    /// A response that only carries a status: how a caller learns that its request failed.
    static func failure(_ status: Clarifai_Api_Status_Status) -> Self {
        var response = Self()
        response.status = status
        return response
    }
}
