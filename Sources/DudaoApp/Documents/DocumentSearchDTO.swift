import DudaoCore
import Foundation

/// The documented JSON of a search (docs/openapi.json `DocumentSearch`): the API and
/// `dudao documents search --format json`.
public struct DocumentSearchDTO: Codable, Sendable {
    public struct Result: Codable, Sendable {
        public var id: String
        public var title: String
        /// HTML: the passage around the first match, escaped, the terms in `<mark>`.
        public var snippet: String
        public var region: String
        public var kind: String
        public var year: Int?
        public var tags: [String]
        public var version: Int
        public var rank: Int
    }

    public var results: [Result]
    public var total: Int

    public init(_ found: (total: Int, results: [Documents.Result])) {
        total = found.total
        results = found.results.map {
            Result(
                id: $0.document.id, title: $0.document.title, snippet: $0.snippet, region: $0.document.regionCode, kind: $0.document.kind.rawValue,
                year: $0.document.year, tags: $0.document.tags, version: $0.document.version, rank: $0.rank)
        }
    }
}
