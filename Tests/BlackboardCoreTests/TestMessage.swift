import BlackboardCore
import Testing

/// A published message for tests: pairs laid out in one storage buffer, as the
/// codec does, so that `Blackboard.separate` sees what it sees in the server.
struct TestMessage {
    var storage: [UInt8] = []
    var pairs: [PairSpan] = []

    init(_ concepts: [String]) {
        for (number, concept) in concepts.enumerated() {
            let conceptStart = storage.count
            storage.append(contentsOf: concept.utf8)
            let conceptRange = conceptStart..<storage.count
            storage.append(UInt8(ascii: " "))
            let valueStart = storage.count
            storage.append(contentsOf: "value-\(number)".utf8)
            pairs.append(PairSpan(concept: conceptRange, value: valueStart..<storage.count))
        }
    }
}

/// One `deliver` call of `separate`.
struct Delivery: Equatable {
    var subscriber: SubscriberID
    var pairs: [Int32]
}

extension Blackboard {
    /// Runs `separate` on `message` and records every `deliver` call in order.
    mutating func separate(_ message: TestMessage) -> (deliveries: [Delivery], filtered: Int) {
        var deliveries: [Delivery] = []
        let filtered = message.storage.withUnsafeBytes { storage in
            message.pairs.withUnsafeBufferPointer { pairs in
                separate(storage: storage, pairs: pairs) { subscriber, selected in
                    deliveries.append(Delivery(subscriber: subscriber, pairs: Array(selected)))
                }
            }
        }
        return (deliveries, filtered)
    }
}

/// Shorthand for building entries in tables: `entry("a.>")`.
func entry(_ text: String) -> ProfileEntry {
    try! ProfileEntry(text)
}

/// The UTF-8 bytes of `text`.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

extension ConceptFilter: CustomTestStringConvertible {
    /// Failure messages show the entries, not the hash table.
    public var testDescription: String { "ConceptFilter(\(entries.map(\.text)))" }
}
