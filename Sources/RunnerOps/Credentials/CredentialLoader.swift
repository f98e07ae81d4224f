import Foundation

/// Reads secrets that systemd passes with `LoadCredential=`, such as the PAT.
///
/// systemd copies each credential into a private, read-only directory named by
/// `CREDENTIALS_DIRECTORY` that only the service can read. That keeps the PAT out of the
/// environment, where `/proc/<pid>/environ`, crash reports and child processes could expose it.
public struct CredentialLoader: Sendable {
    /// The credentials directory, or `nil` when the service was not given any credentials.
    public let directory: String?

    /// Reads `CREDENTIALS_DIRECTORY` from `environment`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(directory: environment["CREDENTIALS_DIRECTORY"])
    }

    /// Uses an explicit directory; `nil` or empty means "no credentials".
    public init(directory: String?) {
        self.directory = directory.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Returns the named credential, or `nil` when there is no such credential.
    ///
    /// A trailing newline is removed because credential files are usually written with `echo`
    /// or an editor, and a PAT never ends in one.
    ///
    /// - Throws: ``CredentialLoaderError`` when the file exists but cannot be used. Messages
    ///   name the file, never its contents.
    public func load(_ name: String) throws(CredentialLoaderError) -> String? {
        // systemd credential names are single path components; refusing others keeps a
        // configurable name from reading files outside the directory.
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
            throw .invalidName(name)
        }
        guard let directory else { return nil }
        let path = (directory as NSString).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: path) else { return nil }

        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        guard var secret = String(data: data, encoding: .utf8) else { throw .notUTF8(path: path) }
        while secret.last == "\n" || secret.last == "\r\n" || secret.last == "\r" {
            secret.removeLast()
        }
        guard !secret.isEmpty else { throw .empty(path: path) }
        return secret
    }
}
