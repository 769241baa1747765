import Foundation

/// How numbers are written in files and pages.
public enum NumberText {
    /// Integral values without a decimal point; others in the shortest exact form (for files).
    public static func plain(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }

    /// At most four decimals, no trailing zeros (for messages: "0.9", not "0.8999999999999999").
    public static func short(_ x: Double) -> String {
        var s = String(format: "%.4f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    /// Fixed decimals for display ("6.33").
    public static func fixed(_ x: Double, _ digits: Int = 2) -> String {
        String(format: "%.\(digits)f", x)
    }

    /// A share as officials publish it: two decimals and a percent sign ("17.25%").
    public static func percent(_ ratio: Double) -> String { percent(ratio, decimals: 2) }

    /// A share with the programme's number of decimals.
    public static func percent(_ ratio: Double, decimals: Int) -> String {
        String(format: "%.\(decimals)f%%", ratio * 100)
    }
}
