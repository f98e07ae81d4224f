import CClarifaiRunnerABI
import ClarifaiAPI
import Foundation

/// A `clarifai_input` and the C memory behind it, built from a `Clarifai_Api_Input`.
///
/// Built on the plugin thread right before the call and freed right after it, which is exactly the
/// "borrowed for the duration of the call" the ABI promises.
final class PluginInputBuffer {
    private var allocations: [UnsafeMutableRawPointer] = []
    private(set) var input = clarifai_input()

    init(_ request: Clarifai_Api_Input, paramsJSON: String, includeProto: Bool) {
        input.struct_size = UInt32(MemoryLayout<clarifai_input>.size)
        input.id = UnsafePointer(cString(request.id))
        input.params_json = UnsafePointer(cString(paramsJSON))
        let data = request.data
        if data.hasText {
            let utf8 = Array(data.text.raw.utf8)
            input.text = UnsafePointer(cString(utf8))
            input.text_length = utf8.count
        }
        let media: (kind: clarifai_media_kind, bytes: Data)? =
            if !data.image.base64.isEmpty { (CLARIFAI_MEDIA_IMAGE, data.image.base64) }
            else if !data.audio.base64.isEmpty { (CLARIFAI_MEDIA_AUDIO, data.audio.base64) }
            else if !data.video.base64.isEmpty { (CLARIFAI_MEDIA_VIDEO, data.video.base64) }
            else if !data.bytesValue.isEmpty { (CLARIFAI_MEDIA_FILE, data.bytesValue) }
            else { nil }
        if let media {
            let copy = [UInt8](media.bytes)
            input.media_kind = media.kind
            input.bytes = UnsafePointer(copyBytes(copy))
            input.bytes_length = copy.count
            input.mime_type = UnsafePointer(cString(MediaType.sniff(copy, kind: media.kind)))
        }
        let url = [data.image.url, data.video.url, data.audio.url, data.text.url].first { !$0.isEmpty }
        if let url { input.url = UnsafePointer(cString(url)) }
        if includeProto, let proto = try? request.serializedBytes() as [UInt8] {
            input.proto = UnsafePointer(copyBytes(proto))
            input.proto_length = proto.count
        }
    }

    deinit {
        for allocation in allocations { allocation.deallocate() }
    }

    /// Runs `body` with a pointer to the input; the pointer is valid only inside `body`.
    func withInput<T>(_ body: (UnsafePointer<clarifai_input>) -> T) -> T {
        withUnsafePointer(to: &input) { body($0) }
    }

    private func cString(_ string: String) -> UnsafeMutablePointer<CChar> {
        cString(Array(string.utf8))
    }

    private func cString(_ utf8: [UInt8]) -> UnsafeMutablePointer<CChar> {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: utf8.count + 1, alignment: 1)
        allocations.append(memory)
        utf8.withUnsafeBytes { source in
            if let base = source.baseAddress { memory.copyMemory(from: base, byteCount: utf8.count) }
        }
        memory.storeBytes(of: 0, toByteOffset: utf8.count, as: UInt8.self)
        return memory.assumingMemoryBound(to: CChar.self)
    }

    private func copyBytes(_ bytes: [UInt8]) -> UnsafeMutablePointer<UInt8> {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        allocations.append(memory)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { memory.copyMemory(from: base, byteCount: bytes.count) }
        }
        return memory.assumingMemoryBound(to: UInt8.self)
    }
}
