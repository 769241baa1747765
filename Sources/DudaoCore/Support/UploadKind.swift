/// The kinds of file the platform accepts as evidence (visit photos, documents), recognised
/// from the file's own bytes. The name and the type a browser declares are never trusted: an
/// `evil.html` declared as `image/jpeg` is refused, and a stored file is served with the type
/// recognised here.
public enum UploadKind: String, Sendable, CaseIterable, Codable {
    case jpeg, png, webp, pdf, docx, xlsx

    public var contentType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .webp: "image/webp"
        case .pdf: "application/pdf"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
    }

    /// Images are shown inside pages; everything else is only ever downloaded.
    public var isImage: Bool { self == .jpeg || self == .png || self == .webp }

    public var fileExtension: String { self == .jpeg ? "jpg" : rawValue }

    public static let acceptedText = "JPEG, PNG, WebP, PDF, DOCX, XLSX"

    /// The kind of `bytes`, or nil when they are none of the accepted kinds.
    public static func recognise(_ bytes: some Collection<UInt8>) -> UploadKind? {
        let head = Array(bytes.prefix(16))
        func starts(_ magic: [UInt8]) -> Bool { head.count >= magic.count && Array(head.prefix(magic.count)) == magic }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if head.count >= 12, starts(Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8) { return .webp }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        if starts([0x50, 0x4B, 0x03, 0x04]) {
            // An Office package: a zip whose part names say which kind (names are stored
            // uncompressed in the local headers and the central directory).
            let all = Array(bytes)
            guard contains(all, "[Content_Types].xml") else { return nil }
            if contains(all, "word/document.xml") { return .docx }
            if contains(all, "xl/workbook.xml") { return .xlsx }
        }
        return nil
    }

    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard haystack.count >= n.count, let first = n.first else { return false }
        var i = 0
        while i <= haystack.count - n.count {
            if haystack[i] == first && Array(haystack[i..<(i + n.count)]) == n { return true }
            i += 1
        }
        return false
    }
}
