import Foundation

/// A search as typed: words separated by blanks mean AND; a quoted "phrase" is one term (blanks
/// included). Terms are compared in lower case with the document's title, tags and text as
/// substrings, so 督导 finds 督导评估 and "2024 均衡" finds documents holding both.
public struct SearchQuery: Sendable, Hashable {
    public let terms: [String]

    public static let maxTerms = 8
    public static let maxTermLength = 64

    /// Nil when nothing is left to search for.
    public init?(_ text: String) {
        var terms: [String] = []
        var current = ""
        var quoted = false
        for ch in text.prefix(500) {
            if ch == "\"" || ch == "“" || ch == "”" {
                if quoted || !current.isEmpty { Self.append(&terms, current) }
                current = ""
                quoted.toggle()
            } else if !quoted && (ch.isWhitespace || ch == "　") {
                Self.append(&terms, current)
                current = ""
            } else if !(ch.unicodeScalars.first.map { $0.properties.generalCategory == .control } ?? false) {
                current.append(ch)
            }
        }
        Self.append(&terms, current)
        guard !terms.isEmpty else { return nil }
        self.terms = Array(terms.prefix(Self.maxTerms))
    }

    private static func append(_ terms: inout [String], _ raw: String) {
        let term = String(Self.fold(raw.trimmingCharacters(in: .whitespaces)).prefix(maxTermLength))
        if !term.isEmpty && !terms.contains(term) { terms.append(term) }
    }

    /// The form text is compared in: lower case, full-width letters and digits as ASCII.
    public static func fold(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for s in text.lowercased().unicodeScalars {
            // Ｆｕｌｌ-width ASCII (U+FF01…U+FF5E) to ASCII, as Chinese keyboards type it.
            if (0xFF01...0xFF5E).contains(s.value), let ascii = Unicode.Scalar(s.value - 0xFEE0) {
                out.append(Unicode.Scalar(String(ascii).lowercased())!)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }

    /// Terms a trigram index can answer (three characters or more); shorter ones are matched by a scan.
    public var indexable: [String] { terms.filter { $0.count >= 3 } }
    public var short: [String] { terms.filter { $0.count < 3 } }
}

/// The passage of a text around the first match, with every term marked, as HTML.
public enum Snippet {
    public static func html(_ text: String, terms: [String], radius: Int = 40) -> String {
        let folded = Array(SearchQuery.fold(text))
        let chars = Array(text)
        // Folding keeps one character per character for everything Dudao stores (CJK, ASCII,
        // full-width forms); when it does not, fall back to the start of the text.
        let sameLength = folded.count == chars.count
        var first: Int?
        var marks = [Bool](repeating: false, count: chars.count)
        if sameLength {
            for term in terms {
                let t = Array(term)
                guard !t.isEmpty, t.count <= folded.count else { continue }
                var i = 0
                while i + t.count <= folded.count {
                    if folded[i] == t[0] && Array(folded[i..<i + t.count]) == t {
                        for k in i..<i + t.count { marks[k] = true }
                        first = min(first ?? i, i)
                        i += t.count
                    } else {
                        i += 1
                    }
                }
            }
        }
        let start = max(0, (first ?? 0) - radius)
        let end = min(chars.count, (first ?? 0) + radius * 2)
        var out = start > 0 ? "…" : ""
        var open = false
        for i in start..<end {
            if marks[i] != open {
                out += marks[i] ? "<mark>" : "</mark>"
                open = marks[i]
            }
            out += escape(chars[i] == "\n" ? " " : chars[i])
        }
        if open { out += "</mark>" }
        if end < chars.count { out += "…" }
        return out
    }

    static func escape(_ c: Character) -> String {
        switch c {
        case "&": "&amp;"
        case "<": "&lt;"
        case ">": "&gt;"
        case "\"": "&quot;"
        case "'": "&#39;"
        default: String(c)
        }
    }
}
