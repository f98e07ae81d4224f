import CClarifaiRunnerABI

/// The MIME type of request media, from its first bytes.
///
/// Clarifai inputs say "image" or "audio" but not the format, and a native decoder wants to know
/// which one it got without guessing itself.
enum MediaType {
    static func sniff(_ bytes: [UInt8], kind: clarifai_media_kind) -> String {
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
        }
        let riff = starts(Array("RIFF".utf8))
        switch kind {
        case CLARIFAI_MEDIA_IMAGE:
            if starts([0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
            if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
            if starts(Array("GIF8".utf8)) { return "image/gif" }
            if riff, starts(Array("WEBP".utf8), at: 8) { return "image/webp" }
            if starts(Array("BM".utf8)) { return "image/bmp" }
            if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return "image/tiff" }
            return "image/x-unknown"
        case CLARIFAI_MEDIA_AUDIO:
            if riff, starts(Array("WAVE".utf8), at: 8) { return "audio/wav" }
            if starts(Array("fLaC".utf8)) { return "audio/flac" }
            if starts(Array("OggS".utf8)) { return "audio/ogg" }
            if starts(Array("ID3".utf8)) || starts([0xFF, 0xFB]) || starts([0xFF, 0xF3]) { return "audio/mpeg" }
            return "audio/x-unknown"
        case CLARIFAI_MEDIA_VIDEO:
            if starts(Array("ftyp".utf8), at: 4) { return "video/mp4" }
            if starts([0x1A, 0x45, 0xDF, 0xA3]) { return "video/webm" }
            if riff, starts(Array("AVI ".utf8), at: 8) { return "video/x-msvideo" }
            return "video/x-unknown"
        default:
            return "application/octet-stream"
        }
    }
}
