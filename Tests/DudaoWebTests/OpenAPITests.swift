import DudaoCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DudaoWeb

/// Keeps docs/openapi.json true: the documented routes are the routes the API has, and every
/// documented GET answers its example request with JSON that matches its schema.
@Suite("OpenAPI document matches the API")
struct OpenAPITests {
    nonisolated(unsafe) static let doc: [String: Any] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/openapi.json")
        return try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }()

    @Test func documentedRoutesAreExactlyTheAPIRoutes() {
        let paths = Self.doc["paths"] as! [String: [String: Any]]
        let documented = Set(paths.flatMap { path, ops in ops.keys.map { "\($0) \(path)" } })
        let implemented = Set(APIRoutes.documented.map { "\($0.method) \($0.path)" })
        #expect(documented == implemented)
    }

    @Test func everyDocumentedGetMatchesItsSchema() async throws {
        try await withDemoApp { client, auth in
            let paths = Self.doc["paths"] as! [String: [String: Any]]
            for (path, ops) in paths {
                guard let op = ops["get"] as? [String: Any] else { continue }
                var uri = "/api/v1" + path
                var query: [String] = []
                for p in (op["parameters"] as? [[String: Any]]) ?? [] {
                    guard let example = p["example"] else { continue }
                    if p["in"] as? String == "path" {
                        uri = uri.replacingOccurrences(of: "{\(p["name"]!)}", with: "\(example)")
                    } else {
                        query.append("\(p["name"]!)=\(example)")
                    }
                }
                if !query.isEmpty { uri += "?" + query.joined(separator: "&") }
                // Paths whose ids have no example (rounds) are checked in their own suites.
                if uri.contains("{") { continue }
                let schema =
                    (((op["responses"] as! [String: Any])["200"] as! [String: Any])["content"] as! [String: Any])["application/json"]
                    as! [String: Any]
                try await client.execute(uri: uri, method: .get, headers: auth.bearer("admin")) { r in
                    #expect(r.status == .ok, "\(uri)")
                    let problems = SchemaCheck(doc: Self.doc).check(try r.json(), against: schema["schema"] as! [String: Any], at: uri)
                    #expect(problems.isEmpty, "\(problems.prefix(5))")
                }
            }
        }
    }

    @Test func errorsMatchTheErrorSchema() async throws {
        try await withDemoApp { client, auth in
            let errorSchema: [String: Any] = ["$ref": "#/components/schemas/Error"]
            for (uri, status) in [
                ("/api/v1/regions/419999", HTTPResponse.Status.notFound),
                ("/api/v1/schools/0000000000", .notFound),
                ("/api/v1/regions/411081/evaluation?year=abc", .badRequest),
                ("/api/v1/regions/411081/evaluation?programme=nope", .badRequest),
                ("/api/v1/regions", .unauthorized),
            ] {
                try await client.execute(uri: uri, method: .get, headers: status == .unauthorized ? [:] : auth.bearer("admin")) { r in
                    #expect(r.status == status, "\(uri)")
                    let problems = SchemaCheck(doc: Self.doc).check(try r.json(), against: errorSchema, at: uri)
                    #expect(problems.isEmpty, "\(problems)")
                }
            }
        }
    }

    @Test func countyEvaluationJSONCarriesTheVerdictAndGaps() async throws {
        try await withDemoApp { client, auth in
            try await client.execute(
                uri: "/api/v1/regions/411081/evaluation?year=2024&programme=quality-2017", method: .get, headers: auth.bearer("yuzhou")
            ) { r in
                let json = try #require(try r.json() as? [String: Any])
                #expect(json["passed"] as? Bool == false)
                #expect(
                    (json["pending"] as? [[String: Any]])?.map { $0["id"] as? String } == [
                        "government_assurance", "education_quality", "public_satisfaction",
                    ])
                let stages = try #require(json["stages"] as? [[String: Any]])
                let primary = try #require(stages.first { $0["stage"] as? String == "primary" })
                let sports = try #require((primary["indicators"] as? [[String: Any]])?.first { $0["id"] as? String == "sports_area_per_student" })
                #expect(sports["passed"] as? Bool == false)
                #expect((sports["cv"] as? Double ?? 0) > 0.5)
                let schools = try #require(json["schools"] as? [[String: Any]])
                let failing = schools.filter { $0["passed"] as? Bool == false }
                #expect(!failing.isEmpty)
                let gap = try #require((failing.first?["gaps"] as? [[String: Any]])?.first)
                #expect((gap["shortfall"] as? Double ?? 0) >= 1)
            }
        }
    }
}

/// A small JSON Schema checker for the subset the document uses: type (incl. null unions),
/// required, properties, additionalProperties, items, enum, oneOf, $ref.
struct SchemaCheck {
    let doc: [String: Any]

    func resolve(_ schema: [String: Any]) -> [String: Any] {
        guard let ref = schema["$ref"] as? String else { return schema }
        let name = ref.split(separator: "/").last.map(String.init)!
        return ((doc["components"] as! [String: Any])["schemas"] as! [String: Any])[name] as! [String: Any]
    }

    func check(_ value: Any, against raw: [String: Any], at path: String) -> [String] {
        let schema = resolve(raw)
        if let options = schema["oneOf"] as? [[String: Any]] {
            let matches = options.filter { check(value, against: $0, at: path).isEmpty }.count
            return matches == 1 ? [] : ["\(path): matches \(matches) of oneOf"]
        }
        var types: [String] = []
        if let t = schema["type"] as? String { types = [t] } else if let t = schema["type"] as? [String] { types = t }
        if value is NSNull { return types.contains("null") || types.isEmpty ? [] : ["\(path): null not allowed"] }
        if let allowed = schema["enum"] as? [Any] {
            let ok = allowed.contains { ($0 as? String) == (value as? String) && value is String }
            if !ok { return ["\(path): \(value) not in enum"] }
        }
        guard !types.isEmpty else { return [] }
        // JSONSerialization gives NSNumber for both numbers and booleans; its type code tells them apart.
        let number = value as? NSNumber
        let isBool = number.map { String(cString: $0.objCType) == "c" } ?? false
        func isType(_ t: String) -> Bool {
            switch t {
            case "object": value is [String: Any]
            case "array": value is [Any]
            case "string": value is String
            case "boolean": isBool
            case "integer": number.map { !isBool && $0.doubleValue == $0.doubleValue.rounded() } ?? false
            case "number": number != nil && !isBool
            default: false
            }
        }
        guard types.contains(where: isType) else { return ["\(path): expected \(types), got \(type(of: value))"] }
        var problems: [String] = []
        if let object = value as? [String: Any] {
            for key in (schema["required"] as? [String]) ?? [] where object[key] == nil { problems.append("\(path): missing \(key)") }
            let properties = (schema["properties"] as? [String: [String: Any]]) ?? [:]
            for (key, v) in object {
                if let p = properties[key] {
                    problems += check(v, against: p, at: "\(path).\(key)")
                } else if let extra = schema["additionalProperties"] as? [String: Any] {
                    problems += check(v, against: extra, at: "\(path).\(key)")
                } else if !properties.isEmpty {
                    problems.append("\(path): undocumented key \(key)")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (i, v) in array.prefix(200).enumerated() { problems += check(v, against: items, at: "\(path)[\(i)]") }
        }
        return problems
    }
}
