extension Duration {
    /// The duration in whole nanoseconds: negative ones as 0, very long ones as `Int.max`.
    var clampedNanoseconds: Int {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        if seconds >= Int64(Int.max / 1_000_000_000) { return Int.max }
        return max(0, Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
    }

    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
