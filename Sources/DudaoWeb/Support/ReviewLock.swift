import DudaoCore
import DudaoStore
import SQLKit

/// Whether the review chain has locked a school's returns for a year (submitted or approved).
enum ReviewLock {
    static func check(year: Int, school: School) -> @Sendable (any SQLDatabase) async throws -> String? {
        { _ in nil }
    }
}
