import ClarifaiAPI
import GRPCCore
import GRPCProtobuf

/// Decodes the API's work messages, and keeps an item it cannot decode answerable.
///
/// SwiftProtobuf rejects a whole message for one bad field (invalid UTF-8 in a string, nesting past
/// its recursion limit). Thrown from here, that would fail the stream before the runner knew which
/// item it carried, and the API would re-queue the item to a runner that fails the same way. So
/// when a message does not decode, its item ids are read straight from the wire, and each comes
/// back as an ``UndecodableItem`` that the dispatcher answers with a clear failure.
struct RunnerItemsDeserializer: MessageDeserializer {
    typealias Message = Clarifai_Api_MultiRunnerItemResponse

    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> Message {
        do {
            return try ProtobufDeserializer<Message>().deserialize(serializedMessageBytes)
        } catch {
            let ids = serializedMessageBytes.withUnsafeBytes { RunnerItemWire.itemIDs(in: $0) }
            guard !ids.isEmpty else { throw error }
            let cause = (error as? RPCError)?.cause ?? error
            var response = Message()
            response.runnerItems = ids.map { UndecodableItem.make(id: $0, reason: "\(cause)") }
            return response
        }
    }
}

/// Just enough of the protobuf wire format to find `MultiRunnerItemResponse.runner_items[].id`.
enum RunnerItemWire {
    private static let runnerItemsField = 2  // MultiRunnerItemResponse.runner_items
    private static let idField = 1  // RunnerItem.id

    /// The ids of the items in an encoded `MultiRunnerItemResponse`; those that are not valid UTF-8
    /// are left out, since no answer could name them.
    static func itemIDs(in bytes: UnsafeRawBufferPointer) -> [String] {
        var ids: [String] = []
        forEachField(in: bytes) { field, value in
            guard field == runnerItemsField, let item = value else { return }
            forEachField(in: item) { field, value in
                guard field == idField, let value, let id = String(validating: value, as: UTF8.self) else { return }
                ids.append(id)
            }
        }
        return ids
    }

    /// Calls `body` with each field's number and, for length-delimited fields, its bytes. Stops
    /// quietly at the first malformed field: this is a best effort on a message already rejected.
    private static func forEachField(in bytes: UnsafeRawBufferPointer, _ body: (Int, UnsafeRawBufferPointer?) -> Void) {
        var offset = 0
        while offset < bytes.count {
            guard let key = varint(bytes, &offset) else { return }
            let field = Int(key >> 3)
            switch key & 7 {
            case 0:
                guard varint(bytes, &offset) != nil else { return }
                body(field, nil)
            case 1, 5:
                let width = key & 7 == 1 ? 8 : 4
                guard bytes.count - offset >= width else { return }
                offset += width
                body(field, nil)
            case 2:
                guard let length = varint(bytes, &offset), length <= UInt64(bytes.count - offset) else { return }
                let end = offset + Int(length)
                body(field, UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
                offset = end
            default:
                return  // groups: not used by the Clarifai API
            }
        }
    }

    private static func varint(_ bytes: UnsafeRawBufferPointer, _ offset: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count, shift < 64 {
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }
}
