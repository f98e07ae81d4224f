import ClarifaiAPI
import Synchronization

/// The texts of the MiniLM part: the everyday sentences of `runners/minilm-embed/bench.c`
/// (9–12 tokens, 10.25 on average) and one text of exactly 128 tokens.
enum MiniLMWorkload {
    /// Short sentences, sent in turn.
    static let shortTexts = [
        "A man is playing a guitar.",
        "The stock market fell sharply today.",
        "Where can I buy fresh bread near here?",
        "She finished the marathon in under four hours.",
        "Clarifai runners serve models locally.",
        "It is going to rain tomorrow afternoon.",
        "How do I reset my password?",
        "The cat sat quietly on the warm windowsill.",
    ]

    /// 126 words that are each one word piece, so with `[CLS]` and `[SEP]` the text is 128 tokens
    /// (the same construction as `bench.c`'s `make_long_text`).
    static let longText: String = {
        let words = ["the", "quick", "brown", "fox", "jumps", "over", "a", "lazy", "dog", "while", "people", "watch", "from", "park"]
        return (0..<126).map { words[$0 % words.count] }.joined(separator: " ")
    }()

    /// The floats in one all-MiniLM-L6-v2 embedding.
    static let dimensions = 384
}

/// Hands out requests round-robin to concurrent callers.
final class RequestRotation: Sendable {
    private let requests: [Clarifai_Api_PostModelOutputsRequest]
    private let next = Atomic<Int>(0)

    /// One prebuilt one-input request per text.
    init(texts: [String]) {
        requests = texts.map(Workload.request)
    }

    /// The next request in turn.
    func take() -> Clarifai_Api_PostModelOutputsRequest {
        requests[next.add(1, ordering: .relaxed).oldValue % requests.count]
    }
}
