/// Turns errors into what a caller may see: one line, bounded, without stack traces or local paths.
enum ErrorDescription {
    static let maxLength = 300

    static func forCaller(_ error: any Error) -> String {
        if error is CancellationError { return "cancelled" }
        return sanitize(String(describing: error))
    }

    static func sanitize(_ text: String) -> String {
        var line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? "model error"
        // Absolute paths tell callers about the host's file system; keep only the last component.
        line = line.split(separator: " ", omittingEmptySubsequences: false).map { word -> Substring in
            guard word.hasPrefix("/"), word.dropFirst().contains("/") else { return word }
            return word.split(separator: "/").last ?? word
        }.joined(separator: " ")
        if line.count > maxLength { line = String(line.prefix(maxLength)) + "…" }
        return line.isEmpty ? "model error" : line
    }
}
