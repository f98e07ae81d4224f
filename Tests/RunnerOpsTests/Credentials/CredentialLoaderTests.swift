import Foundation
import Testing
@testable import RunnerOps

@Suite struct CredentialLoaderTests {
    /// A throwaway credentials directory, as systemd would create for `LoadCredential=`.
    private func makeDirectory(_ files: [String: String]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("runnerops-creds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, contents) in files {
            try contents.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return directory.path
    }

    @Test(arguments: ["secret-pat", "secret-pat\n", "secret-pat\r\n", "secret-pat\n\n"])
    func readsAndTrimsTrailingNewlines(contents: String) throws {
        let directory = try self.makeDirectory(["pat": contents])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let loader = CredentialLoader(environment: ["CREDENTIALS_DIRECTORY": directory])
        #expect(try loader.load("pat") == "secret-pat")
    }

    @Test func returnsNilWithoutDirectoryOrFile() throws {
        #expect(try CredentialLoader(environment: [:]).load("pat") == nil)
        let directory = try self.makeDirectory([:])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try CredentialLoader(directory: directory).load("pat") == nil)
    }

    @Test func rejectsAnEmptyFileWithoutEchoingIt() throws {
        let directory = try self.makeDirectory(["pat": "\n"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: CredentialLoaderError.empty(path: directory + "/pat")) {
            try CredentialLoader(directory: directory).load("pat")
        }
    }

    @Test(arguments: ["../pat", "", ".."])
    func rejectsNamesOutsideTheDirectory(name: String) {
        #expect(throws: CredentialLoaderError.invalidName(name)) {
            try CredentialLoader(directory: "/tmp").load(name)
        }
    }
}
