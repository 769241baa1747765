import DudaoCore
import DudaoStore
import Foundation
import SQLKit

/// Scoring a sheet item (`ScoreItem`) and keeping the self-evaluation report's own text
/// (`SaveReportMeasures`): each one transaction with its audit entry and evidence files.
public struct Sheets: Sendable {
    let services: Services

    public init(_ services: Services) { self.services = services }

    /// Evidence limits per item.
    public static let filesPerItem = 10, bytesPerItem = 50 << 20, fileBytes = 10 << 20

    public struct Scored: Sendable {
        public var version: Int
        public var files: Int
    }

    public func result(sheet: ScoreSheet, region: String, year: Int) async throws -> SheetResult {
        try await SheetReader(services.reads).result(sheet, region: region, year: year, today: services.clock.moment.today)
    }

    /// Records one item's score (or met/not met, or whether a veto event happened), its comment
    /// and evidence, if the entry still has `expectedVersion` (0 for a first score).
    public func score(
        sheet: ScoreSheet, region: String, year: Int, itemId: String, entry: ScoreEntry,
        files: [(filename: String, contentType: String, data: Data)] = [], expectedVersion: Int, by actor: Identity
    ) async throws -> Scored {
        guard actor.canScoreSheets(region: region) else {
            throw ServiceError(.forbidden, code: "not_allowed", zh: "只有督导办可以评分", en: "only supervision offices score sheets")
        }
        if sheet.scoredBy == .above && actor.regionCode == region {
            throw ServiceError(
                .forbidden, code: "not_allowed", zh: "考核由上级评分，不能给本级评分", en: "an assessment is scored by the office above, not by the region itself")
        }
        guard let item = sheet.item(itemId) else { throw ServiceError.notFound("item \(itemId)") }
        try Self.check(entry, item: item, sheet: sheet)
        // A computed item is scored by hand only while the data to compute it is missing.
        if item.computed != nil, try await result(sheet: sheet, region: region, year: year).item(itemId)?.computed?.passed != nil {
            throw ServiceError(
                .invalid, code: "computed", field: "score", zh: "此项由数据自动计算，不能手工评分", en: "this item is computed from data, not scored by hand")
        }
        let recognised = try Uploads.recognise(files, fileBytes: Self.fileBytes, field: "files")
        let prepared = recognised.map { Documents.prepare($0.data, filename: $0.filename, kind: $0.kind) }
        return try await services.transaction { tx, now in
            if let programme = sheet.programme {
                try await Self.refuseIfSubmitted(region: region, year: year, programme: programme, by: actor, on: tx)
            }
            let scores = ScoreRepository(tx)
            let current = try await scores.entries(sheet: sheet.id, region: region, year: year)[itemId]
            guard (current?.version ?? 0) == expectedVersion else {
                throw ServiceError(.conflict, code: "version_conflict", zh: "该项已被他人修改，请刷新", en: "someone else changed this item; reload")
            }
            let version = expectedVersion + 1
            try await scores.write(
                sheet: sheet.id, region: region, year: year, item: itemId, entry: entry, version: version, by: actor.username, at: now.timestamp)
            let object = ScoreRepository.evidenceObject(sheet: sheet.id, region: region, year: year, item: itemId)
            // Evidence files go into the library (佐证材料), linked to the item.
            if !recognised.isEmpty {
                let linked = try await DocumentRepository(tx).documents(linkedTo: "score_item", object)
                let used = (files: linked.count, bytes: linked.reduce(0) { $0 + $1.size })
                let adding = recognised.reduce(0) { $0 + $1.data.count }
                guard used.files + recognised.count <= Self.filesPerItem, used.bytes + adding <= Self.bytesPerItem else {
                    throw ServiceError(
                        .tooLarge, code: "quota", field: "files", zh: "每项最多\(Self.filesPerItem)个文件、共\(Self.bytesPerItem >> 20) MB",
                        en: "at most \(Self.filesPerItem) files and \(Self.bytesPerItem >> 20) MB per item")
                }
                try await Documents.fileEvidence(
                    prepared, region: region, year: year, tags: [sheet.id], object: (type: "score_item", id: object), by: actor.username,
                    at: now.timestamp, on: tx)
            }
            func text(_ e: ScoreEntry?) -> String? {
                guard let e else { return nil }
                var parts: [String] = []
                if let s = e.score { parts.append("score=\(NumberText.plain(s))") }
                if let m = e.met { parts.append("met=\(m)") }
                if e.vetoed { parts.append("vetoed") }
                if !e.comment.isEmpty { parts.append("comment=\(e.comment)") }
                if !e.evidence.isEmpty { parts.append("evidence=\(e.evidence)") }
                return parts.joined(separator: "; ")
            }
            try await AuditLog(tx).record([
                AuditEntry(
                    at: now.timestamp, actor: actor.username, action: "score", objectType: "score_item", objectId: object,
                    oldValue: text(current?.entry), newValue: (text(entry) ?? "") + (recognised.isEmpty ? "" : "; files=\(recognised.count)"),
                    regionCode: region)
            ])
            return Scored(version: version, files: recognised.count)
        }
    }

    /// Once the county's self-evaluation for the programme and year has gone up the chain, the
    /// county's own office can no longer change what it submitted (sheets, report text); the
    /// offices above still can (review). Asked inside the writing transaction.
    static func refuseIfSubmitted(region: String, year: Int, programme: String, by actor: Identity, on tx: any SQLDatabase) async throws {
        guard actor.regionCode == region else { return }
        let cases = try await EvaluationCaseRepository(tx).list(under: region)
        if cases.contains(where: { $0.regionCode == region && $0.year == year && $0.programmeId == programme && $0.step != .selfEvaluation }) {
            throw ServiceError(
                .conflict, code: "frozen", zh: "自评已上报，本级不能再修改", en: "the self-evaluation has been submitted; this office can no longer change it")
        }
    }

    /// What a scorer may record for an item: points within 0…max (to one decimal) on points
    /// sheets, met or not on pass/fail sheets, yes/no for a veto event; automatic deductions are
    /// Dudao's, not a scorer's.
    static func check(_ entry: ScoreEntry, item: ScoreItem, sheet: ScoreSheet) throws {
        if item.deduction != nil {
            throw ServiceError(
                .invalid, code: "computed", field: "score", zh: "此项由数据自动计算，不能手工评分", en: "this item is computed from data, not scored by hand")
        }
        if entry.vetoed && !item.veto {
            throw ServiceError(.invalid, code: "invalid", field: "vetoed", zh: "此项不是否决项", en: "this item is not a veto item")
        }
        if item.veto && item.max == nil {
            guard entry.score == nil, entry.met == nil else {
                throw ServiceError(.invalid, code: "invalid", field: "vetoed", zh: "否决项只记录是否发生", en: "a veto item records only whether it happened")
            }
        } else if sheet.scoring == .points {
            guard let score = entry.score, let max = item.max, score >= 0, score <= max, (score * 10).rounded() == score * 10 else {
                throw ServiceError(
                    .invalid, code: "invalid", field: "score", zh: "得分应在0至\(NumberText.plain(item.max ?? 0))之间（最多一位小数）",
                    en: "the score must be between 0 and \(NumberText.plain(item.max ?? 0)) (one decimal at most)")
            }
            guard entry.met == nil else {
                throw ServiceError(.invalid, code: "invalid", field: "met", zh: "计分项不填达标与否", en: "points items take a score")
            }
        } else {
            guard entry.met != nil, entry.score == nil else {
                throw ServiceError(.invalid, code: "invalid", field: "met", zh: "请选择达标或未达标", en: "choose met or not met")
            }
        }
        for (field, text) in [("comment", entry.comment), ("evidence", entry.evidence)] {
            do { _ = try Checked.text(text, field: field, max: Checked.maxText, multiline: true) } catch {
                throw ServiceError(.invalid, code: error.code, field: field, zh: error.messageZh, en: error.messageEn)
            }
        }
    }

    /// The report's 整改措施和下一步打算, kept with the county's evaluation of the year.
    public func saveMeasures(
        region: String, year: Int, programme: String, text: String, expectedVersion: Int, by actor: Identity
    ) async throws
        -> Int
    {
        guard actor.canScoreSheets(region: region) else {
            throw ServiceError(.forbidden, code: "not_allowed", zh: "只有督导办可以编写自评报告", en: "only supervision offices write the report")
        }
        guard RegionCode.level(of: region) == .county else {
            throw ServiceError(.invalid, code: "invalid", field: "region", zh: "自评报告属于区县", en: "a self-evaluation report belongs to a county")
        }
        do { _ = try Checked.text(text, field: "measures", max: Checked.maxText, multiline: true) } catch {
            throw ServiceError(.invalid, code: error.code, field: "measures", zh: error.messageZh, en: error.messageEn)
        }
        return try await services.transaction { tx, now in
            try await Self.refuseIfSubmitted(region: region, year: year, programme: programme, by: actor, on: tx)
            let scores = ScoreRepository(tx)
            let current = try await scores.measures(region: region, year: year, programme: programme)
            guard (current?.version ?? 0) == expectedVersion else {
                throw ServiceError(.conflict, code: "version_conflict", zh: "内容已被他人修改，请刷新", en: "someone else changed the text; reload")
            }
            try await scores.writeMeasures(
                region: region, year: year, programme: programme, text: text, version: expectedVersion + 1, by: actor.username, at: now.timestamp)
            try await AuditLog(tx).record([
                AuditEntry(
                    at: now.timestamp, actor: actor.username, action: "update", objectType: "report_measures",
                    objectId: "\(region)/\(year)/\(programme)", oldValue: current?.text, newValue: text, regionCode: region)
            ])
            return expectedVersion + 1
        }
    }
}
