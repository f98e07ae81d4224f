/// The MiniLM rows of the table: embeddings per second through the whole path.
extension BenchReport {
    func appendMiniLM(to lines: inout [String]) {
        guard let minilm else { return }
        for row in minilm {
            let name = "runner, minilm-embed x\(row.instances)"
            lines.append(Self.row(name, row.texts, row.load, unit: "emb/s"))
        }
    }
}
