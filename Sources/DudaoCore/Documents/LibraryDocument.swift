import Foundation

// The document library and evidence store (SPEC §4.6, 政策工具箱 · 佐证材料): files with a title,
// kind, region, year and tags; each distinct content stored once (by its SHA-256); a document
// may be linked to many things it supports; searchable in Chinese by substring.

/// What a document is.
public enum DocumentKind: String, Labelled {
    case policy, plan, bulletin, evidence, template

    public var zh: String {
        switch self {
        case .policy: "政策文件"
        case .plan: "工作方案"
        case .bulletin: "通报"
        case .evidence: "佐证材料"
        case .template: "模板"
        }
    }

    public var en: String {
        switch self {
        case .policy: "Policy"
        case .plan: "Plan"
        case .bulletin: "Bulletin"
        case .evidence: "Evidence"
        case .template: "Template"
        }
    }
}

/// How a document's text was got for search.
public enum TextStatus: String, Sendable, Codable {
    /// Extracted from the file (DOCX, XLSX, PDF, plain text).
    case extracted
    /// A file with no text to extract (an image): found by title and tags only.
    case none
    /// A PDF on a server without `pdftotext` (Debian: poppler-utils): found by title and tags only.
    case noPDFTool = "no_pdftotext"
    /// The file could not be read as its kind.
    case unreadable
}

/// A document of the library, as listed (without its bytes and text).
public struct LibraryDocument: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var title: String
    public var kind: DocumentKind
    public var regionCode: String
    public var year: Int?
    public var tags: [String]
    public var isPublic: Bool
    /// Versions of one document share a series id; `version` counts from 1.
    public var seriesId: String
    public var version: Int
    public var checksum: String
    public var filename: String
    public var contentType: String
    public var size: Int
    public var textStatus: TextStatus
    public var uploadedBy: String
    public var uploadedAt: String

    public init(
        id: String, title: String, kind: DocumentKind, regionCode: String, year: Int?, tags: [String], isPublic: Bool, seriesId: String,
        version: Int, checksum: String, filename: String, contentType: String, size: Int, textStatus: TextStatus, uploadedBy: String,
        uploadedAt: String
    ) {
        self.id = id
        self.title = title
        self.kind = kind
        self.regionCode = regionCode
        self.year = year
        self.tags = tags
        self.isPublic = isPublic
        self.seriesId = seriesId
        self.version = version
        self.checksum = checksum
        self.filename = filename
        self.contentType = contentType
        self.size = size
        self.textStatus = textStatus
        self.uploadedBy = uploadedBy
        self.uploadedAt = uploadedAt
    }
}

extension Identity {
    /// May read a document: public ones; those of the caller's region and below (principals:
    /// none); and those issued for a region above the caller's (or for its own county, for a
    /// principal), except evidence: policies, plans, bulletins and templates reach downward,
    /// another level's evidence does not. Never a sibling region's.
    public func canRead(document d: LibraryDocument) -> Bool {
        d.isPublic || canRead(region: d.regionCode) || (d.kind != .evidence && RegionCode.contains(d.regionCode, regionCode))
    }

    /// May file documents for a region: its office and those above.
    public func canFileDocuments(region: String) -> Bool { isOfficeStaff && canRead(region: region) }
}
