import Foundation
import Synchronization

/// How one request ended, as the suite judges it.
enum Outcome: String, Sendable, CaseIterable {
    /// The right answer.
    case correct
    /// A failure the caller can act on: a Clarifai failure status with a description, or a gRPC error.
    case clearFailure
    /// No final answer: a stream that ended without its outputs or a failure, an item never answered.
    case lost
    /// Still unanswered at its deadline.
    case hung
    /// A success status with the wrong content.
    case wrong
}

/// Counts, per injected fault, what happened to every request sent: each one must end in exactly
/// one ``Outcome``, and `lost`, `hung` and `wrong` must stay at zero.
final class FaultTally: Sendable {
    let fault: String
    private let counts = Mutex<[Outcome: Int]>([:])
    private let sentCount = Atomic<Int>(0)
    private let notes = Mutex<[String]>([])

    init(_ fault: String) {
        self.fault = fault
    }

    /// Counts a request as sent; call it before the request goes out.
    func sent() {
        sentCount.add(1, ordering: .relaxed)
    }

    /// Records the final outcome of one sent request, with a note for anything but `correct`.
    func record(_ outcome: Outcome, note: String? = nil) {
        counts.withLock { $0[outcome, default: 0] += 1 }
        if let note, outcome != .correct {
            notes.withLock { if $0.count < 20 { $0.append("\(outcome.rawValue): \(note)") } }
        }
    }

    var sentTotal: Int { sentCount.load(ordering: .relaxed) }
    subscript(_ outcome: Outcome) -> Int { counts.withLock { $0[outcome, default: 0] } }
    /// Requests sent that have no recorded outcome: they count as lost.
    var unaccounted: Int { sentTotal - Outcome.allCases.reduce(0) { $0 + self[$1] } }
    /// Whether nothing was lost, hung, wrong or unaccounted.
    var isClean: Bool { self[.lost] == 0 && self[.hung] == 0 && self[.wrong] == 0 && unaccounted == 0 }
    /// A few examples of the non-correct outcomes, for failure messages.
    var examples: [String] { notes.withLock { $0 } }

    /// One table row: fault | sent | correct | clear failures | lost | hung.
    var row: String {
        "| \(fault) | \(sentTotal) | \(self[.correct]) | \(self[.clearFailure]) | \(self[.lost] + unaccounted + self[.wrong]) | \(self[.hung]) |"
    }

    /// Prints the counts and appends the row to the results file (`RELIABILITY_RESULTS`, default
    /// `reliability-results.md` in the temporary directory), which docs/reliability.md is filled from.
    func report() {
        print("[reliability] \(fault): sent=\(sentTotal) correct=\(self[.correct]) clear_failures=\(self[.clearFailure]) "
            + "lost=\(self[.lost]) hung=\(self[.hung]) wrong=\(self[.wrong]) unaccounted=\(unaccounted)")
        for note in examples.prefix(5) { print("[reliability]   \(note)") }
        let path = ProcessInfo.processInfo.environment["RELIABILITY_RESULTS"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("reliability-results.md").path
        let line = Data((row + "\n").utf8)
        if let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            handle.write(line)
            try? handle.close()
        } else {
            FileManager.default.createFile(atPath: path, contents: line)
        }
    }
}
