import Foundation

/// Who the runner is, as the API knows it. Sent in every handshake and answer.
public struct RunnerIdentity: Sendable, Equatable {
    /// The Clarifai user that owns the runner.
    public var userID: String
    /// The app id, if the API wants one; usually empty for runners.
    public var appID: String
    /// The compute cluster the nodepool belongs to.
    public var computeClusterID: String
    /// The nodepool the runner serves.
    public var nodepoolID: String
    /// The runner's id, as created with `PostRunners`.
    public var runnerID: String
    /// A random id for this process, sent in handshakes so the API can tell replicas apart.
    public var replicaID: String

    /// Creates an identity; the replica id defaults to a fresh random one.
    public init(
        userID: String,
        appID: String = "",
        computeClusterID: String,
        nodepoolID: String,
        runnerID: String,
        replicaID: String = UUID().uuidString.lowercased()
    ) {
        self.userID = userID
        self.appID = appID
        self.computeClusterID = computeClusterID
        self.nodepoolID = nodepoolID
        self.runnerID = runnerID
        self.replicaID = replicaID
    }
}
