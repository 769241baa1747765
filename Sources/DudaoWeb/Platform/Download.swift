import DudaoFiles
import Foundation
import Hummingbird

/// A generated file sent as a download (XLSX workbooks, DOCX documents), named in UTF-8 as
/// RFC 6266 asks so Chinese names survive every browser.
enum Download {
    enum Kind {
        case xlsx, docx, csv

        var contentType: String {
            switch self {
            case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            case .csv: "text/csv; charset=utf-8"
            }
        }
    }

    static func response(_ data: Data, _ kind: Kind, filename: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: kind.contentType, .contentDisposition: AttachmentHeaders.disposition(inline: false, filename: filename)],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func xlsx(_ sheets: [Table], filename: String) throws -> Response { response(try XLSXWriter.write(sheets), .xlsx, filename: filename) }
}
