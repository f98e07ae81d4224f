#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns an `errno` value into the C library's message, for error descriptions an operator reads.
enum SystemError {
    /// The `strerror` text followed by the number, so it can be looked up either way.
    static func message(for code: Int32) -> String {
        "\(String(cString: strerror(code))) (errno \(code))"
    }
}
