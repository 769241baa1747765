import DudaoCore
import DudaoStore
import Foundation

/// 年度目标考核 (SPEC §3.6): an office opens an assessment of the regions directly below it
/// (`OpenAssessment`, audited); each region's sheet is scored by the office's panel through
/// `Sheets.score`; the ranking and the results bulletin are read here.
public struct Assessments: Sendable {
    let services: Services

    public init(_ services: Services) { self.services = services }

    public func open(sheetId: String, year: Int, from: String, to: String, title: String, by actor: Identity) async throws -> Assessment {
        guard actor.isOfficeStaff, !actor.regionCode.isEmpty || actor.isAdmin else {
            throw ServiceError(.forbidden, code: "not_allowed", zh: "只有督导办可以组织考核", en: "only supervision offices open assessments")
        }
        // The regions assessed are the counties of a city: their sheets are county sheets.
        guard RegionCode.level(of: actor.regionCode) == .city else {
            throw ServiceError(.forbidden, code: "not_allowed", zh: "年度目标考核由市级督导办对所辖区县组织", en: "a city office assesses its counties")
        }
        guard let sheet = ScoreSheet.sheet(id: sheetId), sheet.scoredBy == .above else {
            throw ServiceError(.invalid, code: "invalid", field: "sheet", zh: "未知的考核评分表", en: "unknown assessment sheet")
        }
        _ = try Checked.year(year, field: "year")
        let f = try Checked.date(from, field: "from"), t = try Checked.date(to, field: "to")
        guard f <= t else { throw ServiceError(.invalid, code: "invalid", field: "to", zh: "结束日期早于开始日期", en: "the period ends before it starts") }
        let name = try Checked.text(title.isEmpty ? "\(year)年度\(sheet.nameZh)" : title, field: "title")
        return try await services.transaction { tx, now in
            let repository = AssessmentRepository(tx)
            if try await repository.find(office: actor.regionCode, sheet: sheetId, year: year) != nil {
                throw ServiceError(.conflict, code: "exists", zh: "本年度已有该考核", en: "this assessment already exists for the year")
            }
            guard !(try await RegionRepository(tx).children(of: actor.regionCode)).isEmpty else {
                throw ServiceError(.invalid, code: "invalid", field: "sheet", zh: "本级没有下级地区可考核", en: "no regions below this office to assess")
            }
            let a = Assessment(
                id: UUID().uuidString.lowercased(), officeRegion: actor.regionCode, sheetId: sheetId, year: year, from: f, to: t, title: name)
            try await repository.insert(a, by: actor.username, at: now.timestamp)
            try await AuditLog(tx).record([
                AuditEntry(
                    at: now.timestamp, actor: actor.username, action: "open", objectType: "assessment", objectId: a.id, oldValue: nil,
                    newValue: "\(name); \(sheetId); \(f)–\(t)", regionCode: actor.regionCode)
            ])
            return a
        }
    }

    /// The regions assessed, ranked by their totals.
    public func ranking(_ a: Assessment) async throws -> AssessmentRanking {
        guard let sheet = ScoreSheet.sheet(id: a.sheetId) else { throw ServiceError.notFound("sheet \(a.sheetId)") }
        var results: [(Region, SheetResult)] = []
        for region in try await RegionRepository(services.reads).children(of: a.officeRegion) {
            results.append((region, try await services.sheets.result(sheet: sheet, region: region.code, year: a.year)))
        }
        return AssessmentRanking.make(results)
    }
}
