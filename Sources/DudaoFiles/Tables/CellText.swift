/// How exported cell text is classified: a number a spreadsheet may treat as a number, or text.
enum CellText {
    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?`, finite, at most 15 integer digits (Excel keeps 15 significant
    /// digits, so a longer integer, an ID number say, would be silently rounded). Everything else
    /// Swift's `Double` also accepts ("NaN", "Infinity", "0x1p3", "1e5", "+5") or that a leading zero
    /// marks as a code ("00123") is text.
    static func isPlainNumber(_ s: some StringProtocol) -> Bool {
        var body = Substring(s).utf8[...]
        if body.first == 45 { body = body.dropFirst() }
        let whole = body.prefix { (48...57).contains($0) }
        guard (1...15).contains(whole.count), whole.count == 1 || whole.first != 48 else { return false }
        let fraction = body.dropFirst(whole.count)
        if !fraction.isEmpty {
            guard fraction.first == 46, fraction.count > 1, fraction.dropFirst().allSatisfy({ (48...57).contains($0) }) else { return false }
        }
        return Double(String(s))?.isFinite == true
    }

    /// True for text a spreadsheet would run as a formula when opened from CSV: it starts with
    /// = + - @, a tab or a carriage return (OWASP "CSV injection"). Plain numbers ("-3.5") and
    /// percentages ("-2.50%") are values, not formulas.
    static func looksLikeFormula(_ s: String) -> Bool {
        guard let first = s.utf8.first, [61, 43, 45, 64, 9, 13].contains(first) else { return false }
        return !isPlainNumber(s) && !(s.hasSuffix("%") && isPlainNumber(s.dropLast()))
    }
}
