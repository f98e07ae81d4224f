import ClarifaiAPI

/// Builders for the messages the API sends to runners, in the shapes fixed by `docs/wire-dialogue.md`.
enum RunnerItems {
    /// A work item carrying one caller request.
    static func work(
        id: String,
        mode: Clarifai_Api_RunnerMethodType,
        request: Clarifai_Api_PostModelOutputsRequest
    ) -> Clarifai_Api_RunnerItem {
        var item = Clarifai_Api_RunnerItem()
        item.id = id
        item.processingInfo.runnerMethodType = mode
        item.postModelOutputsRequest = request
        return item
    }

    /// An item that only carries a status in `processing_info`: the poll path's end-of-input marker
    /// and the cancellation on both paths.
    static func marker(
        id: String,
        mode: Clarifai_Api_RunnerMethodType? = nil,
        code: Clarifai_Api_Status_StatusCode,
        description: String
    ) -> Clarifai_Api_RunnerItem {
        var item = Clarifai_Api_RunnerItem()
        item.id = id
        if let mode { item.processingInfo.runnerMethodType = mode }
        item.processingInfo.status = .make(code, description)
        return item
    }

    /// A response carrying exactly one item; the official runner refuses more than one.
    static func response(with item: Clarifai_Api_RunnerItem) -> Clarifai_Api_MultiRunnerItemResponse {
        var response = Clarifai_Api_MultiRunnerItemResponse()
        response.status = .make(.success)
        response.runnerItems = [item]
        return response
    }

    /// A response with a status and no item (retry hints, stream end, errors).
    static func response(
        status code: Clarifai_Api_Status_StatusCode,
        _ description: String
    ) -> Clarifai_Api_MultiRunnerItemResponse {
        var response = Clarifai_Api_MultiRunnerItemResponse()
        response.status = .make(code, description)
        return response
    }

    /// The items a runner must receive for an assignment after the first: follow-ups, then the
    /// end-of-input marker if the caller already ended (poll-path shape).
    static func pollFollowUps(for assignment: JobAssignment) -> [Clarifai_Api_RunnerItem] {
        var items = assignment.inputs.dropFirst().map {
            work(id: assignment.jobID, mode: assignment.mode, request: $0)
        }
        if assignment.mode == .streamingStreaming && assignment.inputEnded {
            items.append(endOfInput(id: assignment.jobID))
        }
        for index in items.indices { items[index] = sequenced(items[index], index + 1) }
        return items
    }

    /// Numbers a polling-path follow-up: `processing_info.processing_id = "seq-N"`.
    static func sequenced(_ item: Clarifai_Api_RunnerItem, _ sequence: Int) -> Clarifai_Api_RunnerItem {
        var item = item
        item.processingInfo.processingID = "seq-\(sequence)"
        return item
    }

    /// The poll path's end-of-input marker for a stream-stream job.
    static func endOfInput(id: String) -> Clarifai_Api_RunnerItem {
        marker(
            id: id,
            mode: .streamingStreaming,
            code: .runnerStreamEnd,
            description: "End of caller input"
        )
    }

    /// A cancellation for an item whose caller went away.
    static func cancel(id: String) -> Clarifai_Api_RunnerItem {
        marker(id: id, code: .runnerItemCancelled, description: "The caller cancelled the request")
    }
}
