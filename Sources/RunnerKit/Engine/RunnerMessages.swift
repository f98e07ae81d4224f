import ClarifaiAPI

/// Builds the messages a runner sends, so every one carries the same identity fields.
struct RunnerMessages: Sendable {
    let identity: RunnerIdentity

    private func base() -> Clarifai_Api_PostRunnerItemOutputsRequest {
        var message = Clarifai_Api_PostRunnerItemOutputsRequest()
        message.userAppID.userID = identity.userID
        if !identity.appID.isEmpty { message.userAppID.appID = identity.appID }
        message.nodepoolID = identity.nodepoolID
        message.computeClusterID = identity.computeClusterID
        message.runnerID = identity.runnerID
        return message
    }

    /// The first message of a work stream.
    func workHandshake() -> Clarifai_Api_PostRunnerItemOutputsRequest {
        var message = base()
        message.runnerReplicaID = identity.replicaID
        message.status = .init(code: .runnerStreamStart, description: "Success")
        return message
    }

    /// The first message of the control stream; its runner id is prefixed as the official runner does.
    func controlHandshake() -> Clarifai_Api_PostRunnerItemOutputsRequest {
        var message = workHandshake()
        message.runnerID = "control-\(identity.runnerID)"
        message.status = .init(code: .runnerStreamStart, description: "Control connection")
        return message
    }

    /// One answer for an item.
    func answer(itemID: String, response: Clarifai_Api_MultiOutputResponse) -> Clarifai_Api_PostRunnerItemOutputsRequest {
        var message = base()
        message.runnerItemID = itemID
        var output = Clarifai_Api_RunnerItemOutput()
        output.multiOutputResponse = response
        message.runnerItemOutputs = [output]
        message.status = .init(code: .success, description: "")
        return message
    }

    /// An answer saying the runner could not process the item at all.
    func processingFailed(itemID: String, description: String) -> Clarifai_Api_PostRunnerItemOutputsRequest {
        var response = Clarifai_Api_MultiOutputResponse()
        response.status = .init(code: .runnerProcessingFailed, description: description)
        var message = answer(itemID: itemID, response: response)
        message.status = .init(code: .runnerProcessingFailed, description: description)
        return message
    }

    /// The polling path's end-of-outputs marker, standing in for a stream's half-close.
    func endOfOutputs(itemID: String) -> Clarifai_Api_PostRunnerItemOutputsRequest {
        var message = base()
        message.runnerItemID = itemID
        message.status = .init(code: .runnerStreamEnd, description: "End of outputs")
        return message
    }

    /// The long-poll request of the polling path.
    func listItemsRequest() -> Clarifai_Api_ListRunnerItemsRequest {
        var request = Clarifai_Api_ListRunnerItemsRequest()
        request.userAppID.userID = identity.userID
        if !identity.appID.isEmpty { request.userAppID.appID = identity.appID }
        request.nodepoolID = identity.nodepoolID
        request.computeClusterID = identity.computeClusterID
        request.runnerID = identity.runnerID
        return request
    }
}

extension Clarifai_Api_Status_Status {
    /// A status with a code and a one-line description.
    public init(code: Clarifai_Api_Status_StatusCode, description: String) {
        self.init()
        self.code = code
        self.description_p = description
    }
}
