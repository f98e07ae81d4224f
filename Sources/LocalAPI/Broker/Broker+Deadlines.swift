extension Broker {
    /// Fails overdue jobs until the task is cancelled.
    ///
    /// It sleeps until the earliest deadline, but never longer than a short tick, because a job
    /// submitted meanwhile may carry an earlier deadline than the one it went to sleep for.
    func runDeadlines(tick: Duration = .milliseconds(200)) async {
        while !Task.isCancelled {
            let next = expireOverdue()
            var wait = tick
            if let next {
                let untilNext = next - .now
                if untilNext < wait { wait = max(untilNext, .milliseconds(5)) }
            }
            do {
                try await Task.sleep(for: wait)
            } catch {
                return
            }
        }
    }
}
