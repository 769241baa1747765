import Foundation

/// Today's date where the offices are (Asia/Shanghai), yyyy-MM-dd: deadlines, notice periods
/// and rates are counted in local days.
enum Today {
    static func iso() -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        return f.string(from: Date())
    }
}
