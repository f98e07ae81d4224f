import Foundation

/// The config file format: `KEY=VALUE` lines with the same names as the environment variables, so
/// that one file serves as `--config` and as a systemd `EnvironmentFile=`.
///
/// Blank lines and lines starting with `#` are ignored; a value may be wrapped in single or double
/// quotes; `export ` before a key is allowed.
enum EnvFile {
    static func parse(_ text: String, path: String) throws(CLIError) -> [String: String] {
        var values: [String: String] = [:]
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst("export ".count)) }
            guard let equals = line.firstIndex(of: "=") else {
                throw .configuration("\(path):\(number + 1): expected KEY=VALUE, found '\(line.prefix(40))'")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw .configuration("\(path):\(number + 1): '\(key.prefix(40))' is not a valid variable name")
            }
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            values[key] = value
        }
        return values
    }

    static func load(path: String) throws(CLIError) -> [String: String] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .configuration("cannot read config file \(path): \((error as NSError).localizedDescription)")
        }
        return try parse(text, path: path)
    }
}
