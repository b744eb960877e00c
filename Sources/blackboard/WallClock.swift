import Foundation

/// The wall clock as the services record it.
enum WallClock {
    /// Now, in milliseconds since the Unix epoch.
    static func milliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}
