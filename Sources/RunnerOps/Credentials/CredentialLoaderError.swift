/// Why a credential file could not be used. Descriptions never include the secret.
public enum CredentialLoaderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name is not a single path component.
    case invalidName(String)
    /// The file exists but could not be read.
    case unreadable(path: String, reason: String)
    /// The file is not UTF-8 text.
    case notUTF8(path: String)
    /// The file is empty or holds only a newline.
    case empty(path: String)

    public var description: String {
        switch self {
        case .invalidName(let name):
            return "credential name '\(name)' is invalid: it must be a plain file name"
        case .unreadable(let path, let reason):
            return "cannot read credential \(path): \(reason)"
        case .notUTF8(let path):
            return "credential \(path) is not UTF-8 text; write the PAT as plain text"
        case .empty(let path):
            return "credential \(path) is empty; put the PAT in the file given to LoadCredential="
        }
    }
}
