import DudaoCore
import Foundation
import SQLKit

/// Annual target assessments (one per office, sheet and year); written on the database given.
public struct AssessmentRepository: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    public func insert(_ a: Assessment, by actor: String, at now: String) async throws {
        try await db.insert(into: "assessments")
            .columns("id", "office_region", "sheet_id", "year", "period_from", "period_to", "title", "created_by", "created_at")
            .values(a.id, a.officeRegion, a.sheetId, a.year, a.from, a.to, a.title, actor, now).run()
    }

    public func find(_ id: String) async throws -> Assessment? {
        try await db.select().columns("*").from("assessments").where("id", .equal, id).first().map(Self.decode)
    }

    public func find(office: String, sheet: String, year: Int) async throws -> Assessment? {
        try await db.select().columns("*").from("assessments").where("office_region", .equal, office).where("sheet_id", .equal, sheet)
            .where("year", .equal, year).first().map(Self.decode)
    }

    /// Assessments by the office of `region` or any office above or below it, newest first.
    public func list(concerning region: String) async throws -> [Assessment] {
        try await db.select().columns("*").from("assessments").orderBy("year", .descending).orderBy("created_at", .descending).all()
            .map(Self.decode).filter { RegionCode.contains($0.officeRegion, region) || RegionCode.contains(region, $0.officeRegion) }
    }

    /// The assessment a region's sheet belongs to: by the office directly above it.
    public func covering(region: String, sheet: String, year: Int) async throws -> Assessment? {
        guard let parent = try await RegionRepository(db).find(region)?.parentCode else { return nil }
        return try await find(office: parent, sheet: sheet, year: year)
    }

    static func decode(_ row: any SQLRow) throws -> Assessment {
        Assessment(
            id: try row.decode(column: "id", as: String.self), officeRegion: try row.decode(column: "office_region", as: String.self),
            sheetId: try row.decode(column: "sheet_id", as: String.self), year: try row.decode(column: "year", as: Int.self),
            from: try row.decode(column: "period_from", as: String.self), to: try row.decode(column: "period_to", as: String.self),
            title: try row.decode(column: "title", as: String.self))
    }
}
