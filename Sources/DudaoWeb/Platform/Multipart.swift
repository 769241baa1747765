import Foundation
import Hummingbird

/// A `multipart/form-data` body (forms with file inputs, e.g. visit photos from a phone).
struct MultipartForm: Sendable {
    struct Part: Sendable {
        var name: String
        var filename: String?
        var contentType: String?
        var data: Data
    }

    var parts: [Part]

    /// Text fields by name (the last value wins).
    var fields: [String: String] {
        var out: [String: String] = [:]
        for part in parts where part.filename == nil { out[part.name] = String(decoding: part.data, as: UTF8.self) }
        return out
    }

    /// Non-empty uploaded files.
    var files: [Part] { parts.filter { $0.filename?.isEmpty == false && !$0.data.isEmpty } }

    /// The request's parts, or nil when it is not `multipart/form-data`; bodies above `limit`
    /// answer 413.
    ///
    /// Parsed here rather than by multipart-kit: its 4.7.1 parser traps on a header byte
    /// above 0x7F (found by DudaoFuzzTests; docs/DECISIONS.md), which would let one request stop
    /// the server. This parser is fuzzed with the other readers of client bytes.
    static func parse(_ request: Request, limit: Int = 20 << 20) async throws -> MultipartForm? {
        guard let type = request.headers[.contentType], let boundary = boundary(of: type) else { return nil }
        let body = Data(buffer: try await request.body.collect(upTo: limit))
        return parse(body, boundary: boundary)
    }

    /// The `boundary` parameter of a `multipart/form-data` content type: 1–70 characters
    /// (RFC 2046), quoted or not.
    static func boundary(of contentType: String) -> String? {
        let pieces = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard pieces.first?.lowercased() == "multipart/form-data",
            let parameter = pieces.dropFirst().first(where: { $0.lowercased().hasPrefix("boundary=") })
        else { return nil }
        var value = parameter.dropFirst("boundary=".count)
        if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
        guard (1...70).contains(value.count) else { return nil }
        return String(value)
    }

    static func parse(_ body: Data, boundary: String) -> MultipartForm {
        let delimiter = Data(("--" + boundary).utf8)
        var parts: [Part] = []
        var sections: [Data] = []
        var cursor = body.startIndex
        while let r = body.range(of: delimiter, in: cursor..<body.endIndex) {
            if cursor != body.startIndex || r.lowerBound != body.startIndex { sections.append(body[cursor..<r.lowerBound]) }
            cursor = r.upperBound
        }
        for var section in sections {
            // Each section: CRLF, headers, CRLF CRLF, content, CRLF.
            if section.starts(with: Data("\r\n".utf8)) { section = section.dropFirst(2) }
            guard let split = section.range(of: Data("\r\n\r\n".utf8)) else { continue }
            let headers = String(decoding: section[section.startIndex..<split.lowerBound], as: UTF8.self)
            var content = section[split.upperBound...]
            if content.suffix(2) == Data("\r\n".utf8) { content = content.dropLast(2) }
            var name: String?, filename: String?, contentType: String?
            for line in headers.components(separatedBy: "\r\n") {
                let lower = line.lowercased()
                if lower.hasPrefix("content-disposition:") {
                    name = value(of: "name", in: line)
                    filename = value(of: "filename", in: line)
                } else if lower.hasPrefix("content-type:") {
                    contentType = line.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces)
                }
            }
            if let name { parts.append(Part(name: name, filename: filename, contentType: contentType, data: Data(content))) }
        }
        return MultipartForm(parts: parts)
    }

    static func value(of key: String, in header: String) -> String? {
        for piece in header.components(separatedBy: ";") {
            let kv = piece.trimmingCharacters(in: .whitespaces)
            if kv.hasPrefix(key + "=\"") { return String(kv.dropFirst(key.count + 2).dropLast()) }
        }
        return nil
    }
}
