import DudaoCore
import Foundation
import SQLKit

/// Escalation letters (numbered per office and year) and the records of formal talks and
/// accountability; written on the database given.
public struct EscalationRepository: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    /// The next number of an office's series of the year (`Series`).
    public func nextSeq(region: String, year: Int) async throws -> Int {
        try await Series.letters.next(region: region, year: year, on: db)
    }

    public func insert(_ l: EscalationLetter) async throws {
        try await db.insert(into: "escalation_letters")
            .columns(
                "id", "region_code", "year", "seq", "number", "kind", "trigger", "object_id", "unit", "unit_region", "title", "body", "reply_due",
                "issued_by", "issued_on", "issued_at", "reply", "replied_by", "replied_on"
            )
            .values(
                l.id, l.regionCode, l.year, l.seq, l.number, l.kind.rawValue, l.trigger.rawValue, l.objectId, l.unit, l.unitRegion, l.title,
                l.body.joined(separator: "\n"), l.replyDue, l.issuedBy, l.issuedOn, l.issuedAt, l.reply, l.repliedBy, l.repliedOn
            ).run()
    }

    public func letter(_ id: String) async throws -> EscalationLetter? {
        try await db.select().columns("*").from("escalation_letters").where("id", .equal, id).first().map(Self.letter)
    }

    /// Records a reply to a letter not yet answered; false when it was answered meanwhile.
    public func reply(_ id: String, text: String, by: String, on day: String) async throws -> Bool {
        !(try await db.update("escalation_letters").set("reply", to: text).set("replied_by", to: by).set("replied_on", to: day)
            .where("id", .equal, id).where(SQLColumn("reply"), .is, SQLLiteral.null).returning("id").all()).isEmpty
    }

    /// Letters issued by offices in `region`'s subtree or sent to units in it, newest first.
    public func letters(touching region: String, year: Int? = nil) async throws -> [EscalationLetter] {
        var q = Self.touching(region, db.select().columns("*").from("escalation_letters"))
        if let year { q = q.where("year", .equal, year) }
        return try await q.orderBy("issued_at", .descending).orderBy("seq", .descending).all().map(Self.letter)
    }

    /// Letters about one object (a task, a case, a target's ranking).
    public func letters(trigger: LetterTrigger, object: String) async throws -> [EscalationLetter] {
        try await db.select().columns("*").from("escalation_letters").where("trigger", .equal, trigger.rawValue).where("object_id", .equal, object)
            .orderBy("issued_at").all().map(Self.letter)
    }

    // MARK: talks and accountability

    public func insert(_ r: AccountabilityRecord) async throws {
        try await db.insert(into: "accountability_records")
            .columns(
                "id", "region_code", "kind", "person", "position", "unit", "unit_region", "day", "form", "facts", "letter_id", "object_type",
                "object_id",
                "recorded_by", "recorded_at"
            )
            .values(
                r.id, r.regionCode, r.kind.rawValue, r.person, r.position, r.unit, r.unitRegion, r.day, r.form, r.facts, r.letterId, r.objectType,
                r.objectId, r.recordedBy, r.recordedAt
            ).run()
    }

    /// Records made by offices in `region`'s subtree or about units in it, newest first.
    public func records(touching region: String) async throws -> [AccountabilityRecord] {
        let q = Self.touching(region, db.select().columns("*").from("accountability_records"))
        return try await q.orderBy("day", .descending).orderBy("recorded_at", .descending).all().map(Self.record)
    }

    /// Rows issued or recorded by an office in `region`'s subtree, or about a unit in it.
    static func touching(_ region: String, _ q: SQLSelectBuilder) -> SQLSelectBuilder {
        guard !region.isEmpty else { return q }
        return q.where { w in
            w.where { $0.where("region_code", under: region) }
                .orWhere { $0.where("unit_region", under: region) }
        }
    }

    static func letter(_ row: any SQLRow) throws -> EscalationLetter {
        EscalationLetter(
            id: try row.decode(column: "id", as: String.self), regionCode: try row.decode(column: "region_code", as: String.self),
            year: try row.decode(column: "year", as: Int.self), seq: try row.decode(column: "seq", as: Int.self),
            number: try row.decode(column: "number", as: String.self),
            kind: try row.decode(LetterKind.self, column: "kind", table: "escalation_letters"),
            trigger: try row.decode(LetterTrigger.self, column: "trigger", table: "escalation_letters"),
            objectId: try row.decode(column: "object_id", as: String.self), unit: try row.decode(column: "unit", as: String.self),
            unitRegion: try row.decode(column: "unit_region", as: String.self), title: try row.decode(column: "title", as: String.self),
            body: try row.decode(column: "body", as: String.self).components(separatedBy: "\n"),
            replyDue: try row.decode(column: "reply_due", as: String.self), issuedBy: try row.decode(column: "issued_by", as: String.self),
            issuedOn: try row.decode(column: "issued_on", as: String.self), issuedAt: try row.decode(column: "issued_at", as: String.self),
            reply: try row.decode(column: "reply", as: String?.self), repliedBy: try row.decode(column: "replied_by", as: String?.self),
            repliedOn: try row.decode(column: "replied_on", as: String?.self))
    }

    static func record(_ row: any SQLRow) throws -> AccountabilityRecord {
        AccountabilityRecord(
            id: try row.decode(column: "id", as: String.self), regionCode: try row.decode(column: "region_code", as: String.self),
            kind: try row.decode(AccountabilityKind.self, column: "kind", table: "accountability_records"),
            person: try row.decode(column: "person", as: String.self), position: try row.decode(column: "position", as: String.self),
            unit: try row.decode(column: "unit", as: String.self), unitRegion: try row.decode(column: "unit_region", as: String.self),
            day: try row.decode(column: "day", as: String.self), form: try row.decode(column: "form", as: String.self),
            facts: try row.decode(column: "facts", as: String.self), letterId: try row.decode(column: "letter_id", as: String?.self),
            objectType: try row.decode(column: "object_type", as: String?.self), objectId: try row.decode(column: "object_id", as: String?.self),
            recordedBy: try row.decode(column: "recorded_by", as: String.self), recordedAt: try row.decode(column: "recorded_at", as: String.self))
    }
}
