import DudaoCore
import Foundation
import SQLKit
import Synchronization

/// One recorded change: who, when, which object, old value → new value.
public struct AuditEntry: Sendable, Hashable, Codable {
    public var at: String
    public var actor: String
    public var action: String
    public var objectType: String
    public var objectId: String
    public var oldValue: String?
    public var newValue: String?
    /// The region the object belongs to (its county for schools and returns).
    public var regionCode: String? = nil

    public init(
        at: String, actor: String, action: String, objectType: String, objectId: String, oldValue: String?, newValue: String?,
        regionCode: String? = nil
    ) {
        self.at = at
        self.actor = actor
        self.action = action
        self.objectType = objectType
        self.objectId = objectId
        self.oldValue = oldValue
        self.newValue = newValue
        self.regionCode = regionCode
    }
}

/// What to look for in the change log (all optional; every value checked by the caller).
public struct AuditQuery: Sendable, Hashable {
    public var actor: String?
    public var objectType: String?
    /// Days (yyyy-MM-dd), both inclusive.
    public var from: String?
    public var to: String?
    /// Text in the object id, actor or values.
    public var text: String?
    /// Entries older than this one (the next page).
    public var before: AuditCursor?
    public var limit: Int

    public init(
        actor: String? = nil, objectType: String? = nil, from: String? = nil, to: String? = nil, text: String? = nil, before: AuditCursor? = nil,
        limit: Int = 50
    ) {
        self.actor = actor
        self.objectType = objectType
        self.from = from
        self.to = to
        self.text = text
        self.before = before
        self.limit = limit
    }
}

/// Where a page of the change log ends: its last entry's time and id, written "time~id" in a
/// link. Read back only when both parts have the form the log writes.
public struct AuditCursor: Sendable, Hashable {
    public var at: String
    public var id: String

    public init(at: String, id: String) {
        self.at = at
        self.id = id
    }

    public init?(text: String) {
        let parts = text.split(separator: "~", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count <= 40, parts[1].count <= 64, Timestamp.date(String(parts[0])) != nil,
            parts[1].allSatisfy({ $0.isASCII && ($0.isHexDigit || $0 == "-") }), !parts[1].isEmpty
        else { return nil }
        at = String(parts[0])
        id = String(parts[1])
    }

    public var text: String { "\(at)~\(id)" }
}

/// Append-only change history. The application inserts; it never updates or deletes.
public struct AuditLog: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    public func record(_ entries: [AuditEntry]) async throws {
        try await Self.bulk.run(Self.cells(entries), on: db)
    }

    /// The rows `record` writes, in `bulk`'s columns, each with a new id.
    static func cells(_ entries: [AuditEntry]) -> [[BulkInsert.Cell]] {
        let milliseconds = entries.first.flatMap { Timestamp.date($0.at) }.map { UInt64(max(0, $0.timeIntervalSince1970 * 1000)) } ?? 0
        return entries.map { e in
            [
                .text(Self.timeOrderedId(milliseconds)), .text(e.at), .text(e.actor), .text(e.action), .text(e.objectType), .text(e.objectId),
                .textOrNull(e.oldValue), .textOrNull(e.newValue), .textOrNull(e.regionCode),
            ]
        }
    }

    /// A UUID version 7 (RFC 9562): the entry's millisecond first, then a process-wide counter,
    /// then random bits. New entries land at the end of the primary-key index instead of at
    /// random places in it (a national import adds 200,000 entries at once).
    static func timeOrderedId(_ milliseconds: UInt64) -> String {
        let count = sequence.add(1, ordering: .relaxed).newValue
        let high = (milliseconds & 0xFFFF_FFFF_FFFF) << 16 | 0x7000 | (count >> 48 & 0xFFF)
        let low = 0x8000_0000_0000_0000 | (count & 0xFFFF_FFFF_FFFF) << 14 | UInt64.random(in: 0..<(1 << 14))
        // 8-4-4-4-12 hex digits, written straight into the string's bytes (an import makes
        // hundreds of thousands of these).
        return String(unsafeUninitializedCapacity: 36) { out in
            let digits: StaticString = "0123456789abcdef"
            var at = 0
            func put(_ value: UInt64, from shift: Int, count: Int) {
                for k in 0..<count {
                    out[at] = digits.utf8Start[Int(value >> UInt64(shift - 4 * k) & 0xF)]
                    at += 1
                }
            }
            func dash() {
                out[at] = 0x2D
                at += 1
            }
            put(high, from: 60, count: 8)
            dash()
            put(high, from: 28, count: 4)
            dash()
            put(high, from: 12, count: 4)
            dash()
            put(low, from: 60, count: 4)
            dash()
            put(low, from: 44, count: 12)
            return 36
        }
    }

    private static let sequence = Atomic<UInt64>(UInt64.random(in: 0..<(1 << 32)))

    static let bulk = BulkInsert(
        table: "audit_log",
        columns: ["id", "at", "actor", "action", "object_type", "object_id", "old_value", "new_value", "region_code"], conflict: "")

    /// The newest changes of objects whose id starts with `objectId` (a school's returns:
    /// "1411081001/2024/primary", …), newest first. A key range on the `audit_object` index.
    public func history(objectType: String, objectId: String, limit: Int = 50) async throws -> [AuditEntry] {
        try await db.select().columns("*").from("audit_log")
            .where("object_type", .equal, objectType).where("object_id", .greaterThanOrEqual, objectId)
            .where("object_id", .lessThan, objectId + "\u{10FFFF}")
            .orderBy("at", .descending).orderBy("id", .descending).limit(limit).all().map(Self.decode)
    }

    /// Changes in a region's subtree, newest first, optionally filtered by a text in the
    /// object id, actor or values.
    public func search(under regionCode: String, text: String?, limit: Int = 200) async throws -> [AuditEntry] {
        try await search(under: regionCode, AuditQuery(text: text, limit: limit)).entries
    }

    /// One page of the changes in a region's subtree that match `query`, newest first, and
    /// where the next page starts (nil on the last). Read backwards along `audit_region_at`
    /// (a county), `audit_actor_at` (one actor) or `audit_at`: a page costs the rows it shows
    /// plus those a text filter passes over, not the size of the log.
    public func search(under regionCode: String, _ query: AuditQuery) async throws -> (entries: [AuditEntry], next: AuditCursor?) {
        var q = db.select().columns("*").from("audit_log")
        // Each scope reads its entries in order from an index: a county from `audit_region_at`,
        // a province or city from `audit_province_at` / `audit_city_at` (on the code's first
        // digits), the nation from `audit_at`. A range on the code would gather a province's
        // million entries and sort them.
        switch regionCode.count {
        case 0: break
        case 1...5:
            q = q.where(
                SQLFunction("substr", args: SQLColumn("region_code"), SQLLiteral.numeric("1"), SQLLiteral.numeric("\(regionCode.count)")), .equal,
                SQLBind(regionCode))
        default: q = q.where("region_code", .equal, regionCode)
        }
        if let actor = query.actor { q = q.where("actor", .equal, actor) }
        if let type = query.objectType { q = q.where("object_type", .equal, type) }
        if let from = query.from { q = q.where("at", .greaterThanOrEqual, from) }
        if let to = query.to, let day = DateText.ordinal(to) { q = q.where("at", .lessThan, DateText.string(fromOrdinal: day + 1)) }
        if let text = query.text, !text.isEmpty {
            let like = "%" + text + "%"
            q = q.where { group in
                group.where("object_id", .like, like).orWhere("actor", .like, like)
                    .orWhere("new_value", .like, like).orWhere("old_value", .like, like)
            }
        }
        if let before = query.before {
            q = q.where("at", .lessThanOrEqual, before.at).where { $0.where("at", .lessThan, before.at).orWhere("id", .lessThan, before.id) }
        }
        let rows = try await q.orderBy("at", .descending).orderBy("id", .descending).limit(query.limit + 1).all()
        let entries = try rows.prefix(query.limit).map(Self.decode)
        var next: AuditCursor?
        if rows.count > query.limit, let last = rows.prefix(query.limit).last {
            next = AuditCursor(at: try last.decode(column: "at", as: String.self), id: try last.decode(column: "id", as: String.self))
        }
        return (entries, next)
    }

    static func decode(_ row: any SQLRow) throws -> AuditEntry {
        AuditEntry(
            at: try row.decode(column: "at", as: String.self),
            actor: try row.decode(column: "actor", as: String.self),
            action: try row.decode(column: "action", as: String.self),
            objectType: try row.decode(column: "object_type", as: String.self),
            objectId: try row.decode(column: "object_id", as: String.self),
            oldValue: try row.decode(column: "old_value", as: String?.self),
            newValue: try row.decode(column: "new_value", as: String?.self),
            regionCode: try row.decode(column: "region_code", as: String?.self))
    }

    /// A compact "field: value" rendering of the facts that differ between two rows.
    static func diff(_ old: StageReturn?, _ new: StageReturn) -> (old: String?, new: String) {
        let fields = ReturnField.allCases.filter { old?[$0] != new[$0] }
        func render(_ r: StageReturn?) -> String {
            fields.map { "\($0.rawValue)=\(r?[$0].map(NumberText.plain) ?? "")" }.joined(separator: "; ")
        }
        return (old.map { _ in render(old) }, render(new))
    }
}
