import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import Hummingbird

/// A sheet's state as JSON: items with their answers, computed figures and versions.
struct SheetDTO: Encodable {
    struct Item: Encodable {
        var id: String
        var text: String
        var max: Double?
        var weight: Double
        var methods: [String]
        var veto: Bool
        var computed: Bool
        var met: Bool?
        var points: Double?
        var vetoed: Bool
        var comment: String?
        var evidence: String?
        var details: [String]?
        var version: Int
    }

    var sheet: String
    var region: String
    var year: Int
    var scoring: String
    var total: Double
    var answered: Int
    var items_count: Int
    var passed: Bool?
    var grade: String?
    var items: [Item]

    init(_ r: SheetResult, region: String, year: Int, versions: [String: Int], lang: Language) {
        sheet = r.sheet.id
        self.region = region
        self.year = year
        scoring = r.sheet.scoring.rawValue
        total = r.total
        answered = r.answered
        items_count = r.items.count
        passed = r.passed
        grade = r.grade.map { lang == .zh ? $0.zh : $0.en }
        items = zip(r.sheet.items, r.items).map { item, res in
            Item(
                id: item.id, text: item.text(lang), max: item.max, weight: item.weight, methods: item.methods.map(\.rawValue), veto: item.veto,
                computed: item.computed != nil || item.deduction != nil, met: res.met, points: res.points, vetoed: res.vetoed,
                comment: res.entry?.comment, evidence: res.entry?.evidence, details: res.computed?.details, version: versions[item.id] ?? 0)
        }
    }

    enum CodingKeys: String, CodingKey {
        case sheet, region, year, scoring, total, answered, items_count, passed, grade, items
    }

    /// `passed` and `grade` are explicit nulls while the sheet is not fully scored.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sheet, forKey: .sheet)
        try c.encode(region, forKey: .region)
        try c.encode(year, forKey: .year)
        try c.encode(scoring, forKey: .scoring)
        try c.encode(total, forKey: .total)
        try c.encode(answered, forKey: .answered)
        try c.encode(items_count, forKey: .items_count)
        try c.encode(passed, forKey: .passed)
        try c.encode(grade, forKey: .grade)
        try c.encode(items, forKey: .items)
    }
}

extension APIRoutes {
    func registerSheets(on api: RouterGroup<SignedInContext>) {
        api.get("regions/:code/sheets/:sheet") { request, context in
            let (region, sheet, year) = try await SheetPages(state: state).target(request, context)
            let result = try await state.services.sheets.result(sheet: sheet, region: region.code, year: year)
            let versions = try await ScoreRepository(db.sql).entries(sheet: sheet.id, region: region.code, year: year).mapValues(\.version)
            return try json(SheetDTO(result, region: region.code, year: year, versions: versions, lang: Language(code: try request.query("lang"))))
        }
        api.put("regions/:code/sheets/:sheet/items/:item") { request, context in
            let (region, sheet, _) = try await SheetPages(state: state).target(request, context)
            let itemId = try context.parameters.text("item")
            guard let item = sheet.item(itemId) else { throw AppError.notFound("item \(itemId)") }
            struct Body: Decodable {
                var year: Int
                var score: Double?
                var met: Bool?
                var vetoed: Bool?
                var comment: String?
                var evidence: String?
                var version: Int
            }
            let body = try await request.decode(
                Body.self, context: context, limit: 1 << 16,
                expected:
                    "{\"year\": 2024, \"score\": 8.5 | \"met\": true | \"vetoed\": false, \"comment\": \"…\", \"evidence\": \"…\", \"version\": n}")
            let year = try Checked.year(body.year, field: "year")
            _ = try Checked.integer(body.version, field: "version", in: Checked.versions)
            if let score = body.score { _ = try Checked.number(score, field: "score", in: 0...(item.max ?? 0), whole: false) }
            let entry = ScoreEntry(
                score: body.score, met: body.met, vetoed: body.vetoed ?? false,
                comment: try Checked.text(body.comment ?? "", field: "comment", max: Checked.maxText, multiline: true),
                evidence: try Checked.text(body.evidence ?? "", field: "evidence", max: Checked.maxText, multiline: true))
            _ = try await state.services.sheets.score(
                sheet: sheet, region: region.code, year: year, itemId: itemId, entry: entry, expectedVersion: body.version, by: context.user)
            let result = try await state.services.sheets.result(sheet: sheet, region: region.code, year: year)
            let versions = try await ScoreRepository(db.sql).entries(sheet: sheet.id, region: region.code, year: year).mapValues(\.version)
            return try json(SheetDTO(result, region: region.code, year: year, versions: versions, lang: .zh))
        }
    }
}
