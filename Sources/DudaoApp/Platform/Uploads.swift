import DudaoCore
import Foundation

/// Uploaded files (visit photos, score-sheet evidence): recognised by their bytes, never by
/// the declared type or the name.
public enum Uploads {
    /// Every file must be one of the accepted kinds (`UploadKind`) and at most `fileBytes`;
    /// returns the files with their recognised kinds and cleaned names.
    public static func recognise(
        _ files: [(filename: String, contentType: String, data: Data)], fileBytes: Int, field: String
    ) throws -> [(filename: String, kind: UploadKind, data: Data)] {
        try files.map { file in
            let name = String(file.filename.unicodeScalars.filter { $0.properties.generalCategory != .control }.map(Character.init).suffix(120))
            guard file.data.count <= fileBytes else {
                throw ServiceError(
                    .tooLarge, code: "file_too_large", field: field,
                    zh: "文件「\(name)」超过\(fileBytes >> 20) MB", en: "file '\(name)' is larger than \(fileBytes >> 20) MB")
            }
            guard let kind = UploadKind.recognise(file.data) else {
                throw ServiceError(
                    .unsupportedType, code: "file_type", field: field,
                    zh: "文件「\(name)」不是允许的类型（\(UploadKind.acceptedText)）", en: "file '\(name)' is not an accepted type (\(UploadKind.acceptedText))")
            }
            return (name.isEmpty ? "file.\(kind.fileExtension)" : name, kind, file.data)
        }
    }
}
