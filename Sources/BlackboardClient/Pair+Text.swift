import BlackboardProtocol

extension Pair {
    /// A pair whose value is the UTF-8 bytes of `text`.
    public init(_ concept: String, _ text: String) {
        self.init(concept, Array(text.utf8))
    }

    /// The value as a string, when it is valid UTF-8.
    public var text: String? {
        String(validating: value, as: UTF8.self)
    }
}
