import ClarifaiAPI

extension Clarifai_Api_Output {
    /// An output holding `text`, with a `SUCCESS` status.
    public static func text(_ text: String) -> Self {
        var output = Self()
        output.data.text.raw = text
        output.status.code = .success
        return output
    }

    /// An output holding concepts as `(name, value)` pairs, with a `SUCCESS` status.
    public static func concepts(_ concepts: [(name: String, value: Float)]) -> Self {
        var output = Self()
        output.data.concepts = concepts.map { pair in
            var concept = Clarifai_Api_Concept()
            concept.id = pair.name
            concept.name = pair.name
            concept.value = pair.value
            return concept
        }
        output.status.code = .success
        return output
    }

    /// An output holding one embedding vector, with a `SUCCESS` status.
    public static func embedding(_ vector: [Float]) -> Self {
        var output = Self()
        var embedding = Clarifai_Api_Embedding()
        embedding.vector = vector
        embedding.numDimensions = UInt32(vector.count)
        output.data.embeddings = [embedding]
        output.status.code = .success
        return output
    }
}
