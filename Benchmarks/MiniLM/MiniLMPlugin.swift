import Foundation

/// Builds `runners/minilm-embed` with its own Makefile, the way its README describes, and
/// returns the path of `libminilm_embed.so`.
enum MiniLMPlugin {
    /// The plugin's source directory, found from the package root.
    static var directory: URL { NoopPlugin.packageRoot.appendingPathComponent("runners/minilm-embed") }

    /// Runs `make -s -C runners/minilm-embed` (a no-op when the library is up to date).
    static func build() throws -> String {
        let dir = directory.path
        guard FileManager.default.fileExists(atPath: dir + "/Makefile") else {
            throw BenchError("no Makefile in \(dir)")
        }
        try BuildTool.run("make", ["-s", "-C", dir])
        let library = dir + "/libminilm_embed.so"
        guard FileManager.default.fileExists(atPath: library) else { throw BenchError("make did not produce \(library)") }
        return library
    }
}
