import CClarifaiRunnerABI
import ClarifaiAPI
import Foundation

/// Copies a plugin's `clarifai_output` into a `Clarifai_Api_Output`, checking it on the way.
///
/// Runs on the plugin thread inside `emit`, so the borrowed plugin memory is still valid and a
/// malformed output is refused before it gets anywhere near the caller.
enum PluginOutputReader {
    static func read(
        _ pointer: UnsafePointer<clarifai_output>?,
        maxBytes: Int
    ) -> Result<Clarifai_Api_Output, PluginCall.Violation> {
        guard let pointer else { return invalid("emit without an output") }
        guard let declaredSize = Optional(Int(pointer.pointee.struct_size)),
              declaredSize >= MemoryLayout<UInt32>.size * 2
        else { return invalid("output struct_size \(pointer.pointee.struct_size) is too small") }
        // A plugin built against an older header has a shorter struct: missing fields read as zero.
        var raw = clarifai_output()
        withUnsafeMutableBytes(of: &raw) { destination in
            destination.copyMemory(from: UnsafeRawBufferPointer(
                start: UnsafeRawPointer(pointer), count: min(declaredSize, destination.count)))
        }

        if let tooLarge = checkSize(raw, maxBytes: maxBytes) { return .failure(tooLarge) }

        var output = Clarifai_Api_Output()
        if let proto = raw.proto, raw.proto_length > 0 {
            do {
                output = try Clarifai_Api_Output(serializedBytes: Data(bytes: proto, count: Int(raw.proto_length)))
            } catch {
                return invalid("malformed clarifai.api.Output proto (\(raw.proto_length) bytes)")
            }
        }
        if let text = raw.text {
            let bytes = UnsafeBufferPointer(
                start: UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), count: Int(raw.text_length))
            guard let string = String(validating: bytes, as: UTF8.self) else {
                return invalid("invalid UTF-8 in text output")
            }
            output.data.text.raw = string
        } else if raw.text_length > 0 {
            return invalid("text_length without text")
        }
        if let bytes = raw.bytes {
            let data = Data(bytes: bytes, count: Int(raw.bytes_length))
            switch raw.media_kind {
            case CLARIFAI_MEDIA_IMAGE: output.data.image.base64 = data
            case CLARIFAI_MEDIA_AUDIO: output.data.audio.base64 = data
            case CLARIFAI_MEDIA_VIDEO: output.data.video.base64 = data
            default: output.data.bytesValue = data
            }
        }
        if let concepts = raw.concepts, raw.concept_count > 0 {
            var converted: [Clarifai_Api_Concept] = []
            converted.reserveCapacity(Int(raw.concept_count))
            for item in UnsafeBufferPointer(start: concepts, count: Int(raw.concept_count)) {
                guard let namePointer = item.name else { return invalid("concept without a name") }
                guard let name = String(validatingCString: namePointer) else {
                    return invalid("invalid UTF-8 in concept name")
                }
                var concept = Clarifai_Api_Concept()
                concept.name = name
                if let idPointer = item.id {
                    guard let id = String(validatingCString: idPointer) else {
                        return invalid("invalid UTF-8 in concept id")
                    }
                    concept.id = id
                } else {
                    concept.id = name
                }
                concept.value = item.value
                converted.append(concept)
            }
            output.data.concepts = converted
        }
        if let vector = raw.embedding, raw.embedding_length > 0 {
            var embedding = Clarifai_Api_Embedding()
            embedding.vector = Array(UnsafeBufferPointer(start: vector, count: Int(raw.embedding_length)))
            embedding.numDimensions = UInt32(clamping: raw.embedding_length)
            output.data.embeddings = [embedding]
        }
        if !output.hasStatus || output.status.code == .zero {
            output.status.code = .success
        }
        return .success(output)
    }

    /// Checks the declared lengths before touching the memory they describe.
    private static func checkSize(_ raw: clarifai_output, maxBytes: Int) -> PluginCall.Violation? {
        var total: UInt = 0
        var overflow = false
        func add(_ count: UInt, times: UInt = 1) {
            let (product, o1) = count.multipliedReportingOverflow(by: times)
            let (sum, o2) = total.addingReportingOverflow(product)
            overflow = overflow || o1 || o2
            total = sum
        }
        // size_t arrives as Int; a huge C value shows up negative, so compare bit patterns.
        add(UInt(bitPattern: raw.text_length))
        add(UInt(bitPattern: raw.bytes_length))
        add(UInt(bitPattern: raw.proto_length))
        add(UInt(bitPattern: raw.embedding_length), times: UInt(MemoryLayout<Float>.size))
        add(UInt(bitPattern: raw.concept_count), times: UInt(MemoryLayout<clarifai_concept>.size))
        if let concepts = raw.concepts, !overflow, total <= UInt(maxBytes) {
            for item in UnsafeBufferPointer(start: concepts, count: raw.concept_count) {
                if let name = item.name { add(UInt(strlen(name))) }
                if let id = item.id { add(UInt(strlen(id))) }
            }
        }
        guard overflow || total > UInt(maxBytes) else { return nil }
        let size = overflow ? "an overflowing number of" : "\(total)"
        return PluginCall.Violation(
            status: CLARIFAI_STATUS_RESOURCE_EXHAUSTED,
            message: "output of \(size) bytes exceeds the limit of \(maxBytes) bytes")
    }

    private static func invalid(_ message: String) -> Result<Clarifai_Api_Output, PluginCall.Violation> {
        .failure(PluginCall.Violation(status: CLARIFAI_STATUS_INVALID_ARGUMENT, message: message))
    }
}
