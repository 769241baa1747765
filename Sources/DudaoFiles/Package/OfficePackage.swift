import Foundation
import ZIPFoundation

/// An Office Open XML package (.xlsx, .docx) built in memory: XML parts in a zip.
struct OfficePackage {
    static let xmlHeader = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"

    /// Every part is dated 1980-01-01 (the zip epoch), so the same content makes the same bytes:
    /// a generated document filed twice is recognised by its checksum.
    static let epoch = Date(timeIntervalSince1970: 315_532_800)

    private let archive: Archive
    private let kind: String

    init(kind: String) throws {
        archive = try Archive(accessMode: .create)
        self.kind = kind
    }

    /// Adds a part; `xml` is written after the standard XML declaration.
    func add(_ path: String, _ xml: String) throws {
        let data = Data((Self.xmlHeader + xml).utf8)
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: Self.epoch, compressionMethod: .deflate)
        { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }

    /// Adds a binary part (an image) as it is.
    func add(_ path: String, data: Data) throws {
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: Self.epoch, compressionMethod: .none) {
            position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }

    func data() throws -> Data {
        guard let data = archive.data else { throw FileError.unreadable(kind, "archive not in memory") }
        return data
    }
}
