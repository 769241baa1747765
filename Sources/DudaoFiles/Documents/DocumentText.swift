import DudaoCore
import Foundation

/// The text of a stored file, for search: DOCX paragraphs and XLSX cells through Dudao's own
/// readers, PDF through `pdftotext` (Debian's poppler-utils) when the server has it, plain UTF-8
/// text as it is. At most `limit` characters are kept.
public enum DocumentText {
    public static let limit = 1_000_000

    /// Where `pdftotext` is looked for.
    public static let pdfToolPaths = ["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"]

    public static var pdfTool: String? { pdfToolPaths.first { FileManager.default.isExecutableFile(atPath: $0) } }

    public static func extract(_ data: Data, kind: UploadKind?) -> (text: String, status: TextStatus) {
        switch kind {
        case .docx?:
            guard let xml = try? PackagePart.data("word/document.xml", in: data) else { return ("", .unreadable) }
            return (clip(docxText(xml)), .extracted)
        case .xlsx?:
            guard let table = try? XLSXReader.read(data, name: "document.xlsx") else { return ("", .unreadable) }
            return (clip(([table.header] + table.rows).map { $0.joined(separator: "\t") }.joined(separator: "\n")), .extracted)
        case .pdf?:
            guard let tool = pdfTool else { return ("", .noPDFTool) }
            guard let text = pdfText(data, tool: tool) else { return ("", .unreadable) }
            return (clip(text), .extracted)
        case .jpeg?, .png?, .webp?:
            return ("", .none)
        case nil:
            guard let text = plainText(data) else { return ("", .unreadable) }
            return (clip(text), .extracted)
        }
    }

    /// UTF-8 text (a BOM dropped) without NUL or other control characters than tab and line breaks.
    public static func plainText(_ data: Data) -> String? {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(data: bytes, encoding: .utf8) else { return nil }
        let bad = text.unicodeScalars.contains { $0.properties.generalCategory == .control && !["\t", "\n", "\r"].contains($0) }
        return bad ? nil : text
    }

    static func clip(_ text: String) -> String { text.count > limit ? String(text.prefix(limit)) : text }

    /// The text runs (`<w:t>`) of a WordprocessingML body, a line per paragraph (`</w:p>`), tabs
    /// and breaks kept; entities decoded.
    static func docxText(_ xml: Data) -> String {
        let b = [UInt8](xml)
        var out = [UInt8]()
        out.reserveCapacity(b.count / 4)
        var i = 0
        func at(_ s: String) -> Bool {
            let u = Array(s.utf8)
            return i + u.count <= b.count && Array(b[i..<i + u.count]) == u
        }
        while i < b.count {
            if b[i] != UInt8(ascii: "<") {
                i += 1
                continue
            }
            if at("<w:t>") || at("<w:t ") {
                // The run's text up to </w:t>.
                while i < b.count && b[i] != UInt8(ascii: ">") { i += 1 }
                i += 1
                let start = i
                while i < b.count && b[i] != UInt8(ascii: "<") { i += 1 }
                out += b[start..<min(i, b.count)]
            } else if at("</w:p>") {
                out.append(UInt8(ascii: "\n"))
                i += 6
            } else if at("<w:tab/>") || at("<w:tab ") {
                out.append(UInt8(ascii: "\t"))
                i += 1
            } else if at("<w:br/>") || at("<w:br ") {
                out.append(UInt8(ascii: "\n"))
                i += 1
            } else {
                i += 1
            }
        }
        return unescape(String(decoding: out, as: UTF8.self))
    }

    static func unescape(_ s: String) -> String {
        guard s.contains("&") else { return s }
        return s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// `pdftotext -enc UTF-8 FILE -` on a temporary copy; nil when it fails.
    static func pdfText(_ data: Data, tool: String) -> String? {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("dudao-\(UUID().uuidString).pdf")
        defer { try? FileManager.default.removeItem(at: file) }
        do { try data.write(to: file) } catch { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-q", "-enc", "UTF-8", file.path, "-"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: output, as: UTF8.self)
    }
}
