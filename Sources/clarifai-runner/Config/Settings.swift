import Foundation
import RunnerOps

/// Settings gathered from, in increasing precedence: the config file, the environment
/// (plus a systemd credential for the PAT), and command-line flags.
struct Settings {
    private(set) var values: [SettingKey: String] = [:]
    private(set) var sources: [SettingKey: String] = [:]

    /// Layers the sources. `flags` holds only the flags the user gave.
    static func resolve(
        flags: [SettingKey: String],
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(CLIError) -> Settings {
        var settings = Settings()
        if let path = flags[.config] ?? environment[SettingKey.config.rawValue], !path.isEmpty {
            let file = try EnvFile.load(path: path)
            for (name, value) in file {
                guard let key = SettingKey(rawValue: name) else {
                    throw .configuration("\(path): unknown setting \(name) (see clarifai-runner run --help)")
                }
                settings.set(key, value, from: "config file")
            }
        }
        do {
            if let pat = try CredentialLoader(environment: environment).load("pat") {
                settings.set(.pat, pat, from: "systemd credential")
            }
        } catch {
            throw .configuration("\(error)")
        }
        for key in SettingKey.allCases {
            if let value = environment[key.rawValue], !value.isEmpty { settings.set(key, value, from: "environment") }
        }
        for (key, value) in flags { settings.set(key, value, from: "flag") }
        return settings
    }

    private mutating func set(_ key: SettingKey, _ value: String, from source: String) {
        values[key] = value
        sources[key] = source
    }

    subscript(key: SettingKey) -> String? { values[key] }

    func required(_ key: SettingKey, flag: String) throws(CLIError) -> String {
        guard let value = values[key], !value.isEmpty else {
            throw .configuration("missing \(flag) (or \(key.rawValue) in the environment or config file)")
        }
        return value
    }

    func integer(_ key: SettingKey, flag: String, range: ClosedRange<Int>) throws(CLIError) -> Int? {
        guard let text = values[key] else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw .configuration("\(flag) must be a whole number in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
        }
        return value
    }

    func seconds(_ key: SettingKey, flag: String) throws(CLIError) -> Duration? {
        guard let text = values[key] else { return nil }
        let trimmed = text.hasSuffix("s") ? String(text.dropLast()) : text
        guard let value = Double(trimmed), value >= 0, value < 86_400 else {
            throw .configuration("\(flag) must be a number of seconds, got '\(text)'")
        }
        return .milliseconds(Int64(value * 1000))
    }

    func flag(_ key: SettingKey) -> Bool {
        guard let text = values[key]?.lowercased() else { return false }
        return ["1", "true", "yes", "on"].contains(text)
    }

    /// The effective settings as `KEY=value (source)` lines, secrets masked.
    func describe() -> [String] {
        SettingKey.allCases.compactMap { key in
            guard let value = values[key] else { return nil }
            let shown = key.isSecret ? Self.mask(value) : value
            return "\(key.rawValue)=\(shown)  (\(sources[key] ?? "?"))"
        }
    }

    static func mask(_ secret: String) -> String {
        secret.count <= 8 ? "****" : "****" + secret.suffix(4)
    }
}
