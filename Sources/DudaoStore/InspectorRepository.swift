import DudaoCore
import Foundation
import SQLKit

/// Inspectors, their responsibility schools (挂牌督导), visits and coverage.
public struct InspectorRepository: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    public func upsert(_ inspectors: [Inspector], usernames: [String: String] = [:]) async throws {
        for chunk in inspectors.chunked(200) {
            let insert = db.insert(into: "inspectors").columns("id", "name", "phone", "kind", "region_code", "zone", "username")
            for i in chunk { insert.values(i.id, i.name, i.phone, i.kind.rawValue, i.regionCode, i.zone, usernames[i.id]) }
            try await insert.onConflict(with: ["id"]) {
                $0.set(excludedValueOf: "name").set(excludedValueOf: "phone").set(excludedValueOf: "kind")
                    .set(excludedValueOf: "region_code").set(excludedValueOf: "zone").set(excludedValueOf: "username")
            }.run()
        }
    }

    public func assign(_ assignment: [String: String], since: String) async throws {
        for chunk in Array(assignment).chunked(300) {
            let insert = db.insert(into: "responsibilities").columns("school_code", "inspector_id", "since")
            for (school, inspector) in chunk { insert.values(school, inspector, since) }
            try await insert.onConflict(with: ["school_code"]) { $0.set(excludedValueOf: "inspector_id").set(excludedValueOf: "since") }.run()
        }
    }

    public func list(under region: String) async throws -> [Inspector] {
        try await db.select().columns("*").from("inspectors").where("region_code", .like, region + "%").orderBy("id").all().map(Self.decode)
    }

    public func find(username: String) async throws -> Inspector? {
        try await db.select().columns("*").from("inspectors").where("username", .equal, username).first().map(Self.decode)
    }

    /// School code → responsible inspector id, for schools in the subtree.
    public func responsibilities(under region: String) async throws -> [String: String] {
        var out: [String: String] = [:]
        let schools = Set(try await SchoolRepository(db).list(under: region).map(\.code))
        for row in try await db.select().columns("school_code", "inspector_id").from("responsibilities").all() {
            let school = try row.decode(column: "school_code", as: String.self)
            if schools.contains(school) { out[school] = try row.decode(column: "inspector_id", as: String.self) }
        }
        return out
    }

    /// Schools of the subtree with no signed visit in the month (yyyy-MM), by inspector.
    public func unvisited(under region: String, month: String) async throws -> [(school: School, inspector: String?)] {
        let schools = try await SchoolRepository(db).list(under: region)
        let visited = Set(try await db.select().column("school_code").from("visits").where("county_code", .like, region + "%")
            .where("visit_date", .like, month + "%").where("status", .equal, "signed").all()
            .map { try $0.decode(column: "school_code", as: String.self) })
        let responsible = try await responsibilities(under: region)
        return schools.filter { !visited.contains($0.code) }.map { ($0, responsible[$0.code]) }
    }

    static func decode(_ row: any SQLRow) throws -> Inspector {
        Inspector(id: try row.decode(column: "id", as: String.self), name: try row.decode(column: "name", as: String.self),
                  phone: try row.decode(column: "phone", as: String.self),
                  kind: Inspector.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .partTime,
                  regionCode: try row.decode(column: "region_code", as: String.self), zone: try row.decode(column: "zone", as: String?.self))
    }
}
