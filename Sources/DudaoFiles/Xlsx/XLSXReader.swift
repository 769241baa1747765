import Foundation
import XMLCoder
import ZIPFoundation

/// Reads the first worksheet of an .xlsx file into a `Table` (text of every cell, shared and
/// inline strings resolved). Only what returns need: no formulas are evaluated (the cached
/// value is read), no styles, dates stay serial numbers.
public enum XLSXReader {
    public static func readFirstSheet(_ url: URL) throws -> Table {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw FileError.unreadable(url.lastPathComponent, "\(error)") }
        return try read(data, name: url.lastPathComponent)
    }

    public static func read(_ data: Data, name: String) throws -> Table {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch {
            throw FileError.unreadable(name, "not an xlsx (zip) file")
        }
        func entry(_ path: String) throws -> Data? {
            guard let e = archive[path] else { return nil }
            var out = Data()
            _ = try archive.extract(e) { out.append($0) }
            return out
        }
        let decoder = XMLDecoder()
        decoder.shouldProcessNamespaces = true
        decoder.trimValueWhitespaces = false
        var strings: [String] = []
        if let sst = try entry("xl/sharedStrings.xml") {
            strings = try decoder.decode(SharedStrings.self, from: sst).items.map(\.text)
        }
        guard let sheetPath = try firstSheetPath(entry, decoder: decoder), let sheetData = try entry(sheetPath) else {
            throw FileError.unreadable(name, "no worksheet found")
        }
        let sheet = try decoder.decode(Worksheet.self, from: sheetData)
        var grid: [[String]] = []
        for row in sheet.sheetData.rows {
            let index = (row.r ?? grid.count + 1) - 1
            while grid.count <= index { grid.append([]) }
            var cells: [String] = []
            for cell in row.cells {
                let column = cell.r.map(columnIndex) ?? cells.count
                while cells.count < column { cells.append("") }
                let text: String
                switch cell.t {
                case "s": text = Int(cell.v ?? "").flatMap { strings.indices.contains($0) ? strings[$0] : nil } ?? ""
                case "inlineStr": text = cell.inline?.text ?? ""
                default: text = cell.v ?? ""
                }
                if cells.count == column { cells.append(text) } else { cells[column] = text }
            }
            grid[index] = cells
        }
        while grid.last?.allSatisfy({ $0.isEmpty }) == true { grid.removeLast() }
        guard let header = grid.first, !header.isEmpty else { throw FileError.empty(name) }
        return Table(name: name, header: header, rows: Array(grid.dropFirst()))
    }

    /// Follows workbook.xml → workbook.xml.rels to the first sheet; falls back to sheet1.xml.
    static func firstSheetPath(_ entry: (String) throws -> Data?, decoder: XMLDecoder) throws -> String? {
        if let wb = try entry("xl/workbook.xml"), let rels = try entry("xl/_rels/workbook.xml.rels"),
           let first = try? decoder.decode(Workbook.self, from: wb).sheets.items.first,
           let target = try? decoder.decode(Relationships.self, from: rels).items.first(where: { $0.id == first.rid })?.target {
            return target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        }
        return "xl/worksheets/sheet1.xml"
    }

    /// "C12" → 2
    static func columnIndex(_ reference: String) -> Int {
        var n = 0
        for scalar in reference.unicodeScalars {
            guard scalar.value >= 65 && scalar.value <= 90 else { break }
            n = n * 26 + Int(scalar.value - 64)
        }
        return max(0, n - 1)
    }
}

private struct TextNode: Decodable {
    var value: String
    enum CodingKeys: String, CodingKey { case value = "" }
    init(from decoder: any Decoder) throws {
        value = (try? decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .value))
            ?? (try? decoder.singleValueContainer().decode(String.self)) ?? ""
    }
}

private struct RichText: Decodable {
    struct Run: Decodable { var t: TextNode? }
    var t: TextNode?
    var r: [Run]?
    var text: String { t?.value ?? (r ?? []).map { $0.t?.value ?? "" }.joined() }
}

private struct SharedStrings: Decodable {
    var items: [RichText]
    enum CodingKeys: String, CodingKey { case items = "si" }
    init(from decoder: any Decoder) throws {
        items = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent([RichText].self, forKey: .items) ?? []
    }
}

private struct Worksheet: Decodable {
    struct SheetData: Decodable {
        var rows: [Row]
        enum CodingKeys: String, CodingKey { case rows = "row" }
        init(from decoder: any Decoder) throws {
            rows = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent([Row].self, forKey: .rows) ?? []
        }
    }

    struct Row: Decodable {
        var r: Int?
        var cells: [Cell]
        enum CodingKeys: String, CodingKey { case r, cells = "c" }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            r = try c.decodeIfPresent(String.self, forKey: .r).flatMap { Int($0) }
            cells = try c.decodeIfPresent([Cell].self, forKey: .cells) ?? []
        }
    }

    struct Cell: Decodable {
        var r: String?
        var t: String?
        var v: String?
        var inline: RichText?
        enum CodingKeys: String, CodingKey { case r, t, v, inline = "is" }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            r = try c.decodeIfPresent(String.self, forKey: .r)
            t = try c.decodeIfPresent(String.self, forKey: .t)
            v = try c.decodeIfPresent(TextNode.self, forKey: .v)?.value
            inline = try c.decodeIfPresent(RichText.self, forKey: .inline)
        }
    }

    var sheetData: SheetData
}

private struct Workbook: Decodable {
    struct Sheets: Decodable {
        struct Sheet: Decodable {
            var rid: String
            enum CodingKeys: String, CodingKey { case rid = "id" }
        }
        var items: [Sheet]
        enum CodingKeys: String, CodingKey { case items = "sheet" }
    }
    var sheets: Sheets
}

private struct Relationships: Decodable {
    struct Relationship: Decodable {
        var id: String
        var target: String
        enum CodingKeys: String, CodingKey { case id = "Id", target = "Target" }
    }
    var items: [Relationship]
    enum CodingKeys: String, CodingKey { case items = "Relationship" }
}
