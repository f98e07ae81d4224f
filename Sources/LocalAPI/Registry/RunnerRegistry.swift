import ClarifaiAPI
import Foundation
import Logging
import SwiftProtobuf
import Synchronization

/// The runner records behind `PostRunners`, `GetRunner`, `ListRunners`, `PatchRunners` and
/// `DeleteRunners`: in memory, in creation order, optionally persisted by a ``RunnerStore``.
final class RunnerRegistry: Sendable {
    private struct Records: Sendable {
        var order: [String] = []
        var byID: [String: Clarifai_Api_Runner] = [:]

        var all: [Clarifai_Api_Runner] { order.compactMap { byID[$0] } }
    }

    private let records: Mutex<Records>
    /// Serialises saves, so that a later snapshot is never overwritten by an earlier one.
    private let saving = Mutex(())
    private let store: RunnerStore?
    private let logger: Logger

    /// Loads the records from `store` if given. A file that cannot be read is left untouched and
    /// persistence is turned off, so a typo in it never costs the records it holds.
    init(store: RunnerStore?, logger: Logger) {
        self.logger = logger
        var initial = Records()
        var usableStore = store
        if let store {
            do {
                for runner in try store.load() where !runner.id.isEmpty && initial.byID[runner.id] == nil {
                    initial.order.append(runner.id)
                    initial.byID[runner.id] = runner
                }
            } catch {
                logger.error(
                    "Runner store unreadable; runner records will not be saved",
                    metadata: ["path": "\(store.path)", "error": "\(error)"]
                )
                usableStore = nil
            }
        }
        self.store = usableStore
        self.records = Mutex(initial)
    }

    /// Runner id → the model id it is registered for (runners with a model worker only).
    func modelFilters() -> [String: String] {
        records.withLock { records in
            var filters: [String: String] = [:]
            for (id, runner) in records.byID {
                if case .model(let model) = runner.worker.worker, !model.id.isEmpty {
                    filters[id] = model.id
                }
            }
            return filters
        }
    }

    /// Creates runners, giving an id to those without one. Fails as a whole on a duplicate id.
    func create(
        _ runners: [Clarifai_Api_Runner],
        nodepoolID: String,
        computeClusterID: String
    ) -> Result<[Clarifai_Api_Runner], RegistryRejection> {
        let result: Result<[Clarifai_Api_Runner], RegistryRejection> = records.withLock { records in
            var created: [Clarifai_Api_Runner] = []
            var seen = Set<String>()
            for var runner in runners {
                if runner.id.isEmpty { runner.id = Self.newID() }
                if records.byID[runner.id] != nil || !seen.insert(runner.id).inserted {
                    return .failure(RegistryRejection(.runnerInvalidArgument, "A runner with id '\(runner.id)' already exists"))
                }
                if runner.nodepool.id.isEmpty && !nodepoolID.isEmpty { runner.nodepool.id = nodepoolID }
                if runner.nodepool.computeCluster.id.isEmpty && !computeClusterID.isEmpty {
                    runner.nodepool.computeCluster.id = computeClusterID
                }
                let now = Google_Protobuf_Timestamp(date: Date())
                runner.createdAt = now
                runner.modifiedAt = now
                created.append(runner)
            }
            for runner in created {
                records.order.append(runner.id)
                records.byID[runner.id] = runner
            }
            return .success(created)
        }
        if case .success = result { persist() }
        return result
    }

    /// One runner by id.
    func get(id: String) -> Clarifai_Api_Runner? {
        records.withLock { $0.byID[id] }
    }

    /// Runners in creation order, filtered by nodepool and model version ids when given, then paged.
    ///
    /// - Parameters:
    ///   - page: 1-based; 0 means the first page.
    ///   - perPage: 0 means the Clarifai default of 128.
    func list(nodepoolID: String, modelVersionIDs: [String], page: Int, perPage: Int) -> [Clarifai_Api_Runner] {
        let all = records.withLock { $0.all }
        let versions = Set(modelVersionIDs)
        let matching = all.filter { runner in
            if !nodepoolID.isEmpty && !runner.nodepool.id.isEmpty && runner.nodepool.id != nodepoolID { return false }
            if !versions.isEmpty {
                guard case .model(let model) = runner.worker.worker, versions.contains(model.modelVersion.id) else {
                    return false
                }
            }
            return true
        }
        let size = perPage > 0 ? perPage : 128
        let start = (max(page, 1) - 1) * size
        guard start < matching.count else { return [] }
        return Array(matching[start..<min(start + size, matching.count)])
    }

    /// Updates runners by id: `overwrite` replaces a record, anything else (`merge`, the default)
    /// merges the given fields into it. Fails as a whole on an unknown id.
    func patch(_ runners: [Clarifai_Api_Runner], action: String) -> Result<[Clarifai_Api_Runner], RegistryRejection> {
        let overwrite = action.lowercased() == "overwrite"
        let result: Result<[Clarifai_Api_Runner], RegistryRejection> = records.withLock { records in
            var updated: [Clarifai_Api_Runner] = []
            for runner in runners {
                guard var existing = records.byID[runner.id] else {
                    return .failure(RegistryRejection(.runnerDoesNotExist, "No runner with id '\(runner.id)'"))
                }
                if overwrite {
                    let createdAt = existing.createdAt
                    existing = runner
                    existing.createdAt = createdAt
                } else {
                    do {
                        try existing.merge(serializedBytes: try runner.serializedBytes() as [UInt8])
                    } catch {
                        return .failure(RegistryRejection(.runnerInvalidArgument, "Runner '\(runner.id)' could not be merged"))
                    }
                }
                existing.modifiedAt = Google_Protobuf_Timestamp(date: Date())
                updated.append(existing)
            }
            for runner in updated { records.byID[runner.id] = runner }
            return .success(updated)
        }
        if case .success = result { persist() }
        return result
    }

    /// Deletes runners by id. Fails as a whole, deleting nothing, if an id is unknown.
    func delete(ids: [String]) -> Clarifai_Api_Status_Status? {
        let failure: Clarifai_Api_Status_Status? = records.withLock { records in
            let missing = ids.filter { records.byID[$0] == nil }
            if !missing.isEmpty {
                return .make(.runnerDoesNotExist, "No runner with id \(missing.map { "'\($0)'" }.joined(separator: ", "))")
            }
            for id in ids { records.byID.removeValue(forKey: id) }
            records.order.removeAll { ids.contains($0) }
            return nil
        }
        if failure == nil { persist() }
        return failure
    }

    private func persist() {
        guard let store else { return }
        saving.withLock { _ in
            let snapshot = records.withLock { $0.all }
            do {
                try store.save(snapshot)
            } catch {
                logger.error("Could not save runner records", metadata: ["path": "\(store.path)", "error": "\(error)"])
            }
        }
    }

    private static func newID() -> String {
        UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }
}
