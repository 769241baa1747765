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

/// Append-only change history. The application inserts; it never updates or deletes.
public struct AuditLog: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    public func record(_ entries: [AuditEntry]) async throws {
        let milliseconds = entries.first.flatMap { Timestamp.date($0.at) }.map { UInt64(max(0, $0.timeIntervalSince1970 * 1000)) } ?? 0
        try await Self.bulk.run(
            entries.map { e in
                [
                    .text(Self.timeOrderedId(milliseconds)), .text(e.at), .text(e.actor), .text(e.action), .text(e.objectType), .text(e.objectId),
                    .textOrNull(e.oldValue), .textOrNull(e.newValue), .textOrNull(e.regionCode),
                ]
            }, on: db)
    }

    /// A UUID version 7 (RFC 9562): the entry's millisecond first, then a process-wide counter,
    /// then random bits. New entries land at the end of the primary-key index instead of at
    /// random places in it (a national import adds 200,000 entries at once).
    static func timeOrderedId(_ milliseconds: UInt64) -> String {
        let count = sequence.add(1, ordering: .relaxed).newValue
        let high = (milliseconds & 0xFFFF_FFFF_FFFF) << 16 | 0x7000 | (count >> 48 & 0xFFF)
        let low = 0x8000_0000_0000_0000 | (count & 0xFFFF_FFFF_FFFF) << 14 | UInt64.random(in: 0..<(1 << 14))
        let h = hex(high, 16), l = hex(low, 16)
        return "\(h.prefix(8))-\(h.dropFirst(8).prefix(4))-\(h.suffix(4))-\(l.prefix(4))-\(l.suffix(12))"
    }

    private static let sequence = Atomic<UInt64>(UInt64.random(in: 0..<(1 << 32)))

    private static func hex(_ value: UInt64, _ digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: digits - text.count) + text
    }

    static let bulk = BulkInsert(
        table: "audit_log",
        columns: ["id", "at", "actor", "action", "object_type", "object_id", "old_value", "new_value", "region_code"], conflict: "")

    public func history(objectType: String, objectId: String) async throws -> [AuditEntry] {
        try await db.select().columns("*").from("audit_log")
            .where("object_type", .equal, objectType).where("object_id", .like, objectId + "%")
            .orderBy("at", .descending).all().map(Self.decode)
    }

    /// Changes in a region's subtree, newest first, optionally filtered by a text in the
    /// object id, actor or values.
    public func search(under regionCode: String, text: String?, limit: Int = 200) async throws -> [AuditEntry] {
        var query = db.select().columns("*").from("audit_log").where("region_code", .like, regionCode + "%")
        if let text, !text.isEmpty {
            let like = "%" + text + "%"
            query = query.where { group in
                group.where("object_id", .like, like).orWhere("actor", .like, like)
                    .orWhere("new_value", .like, like).orWhere("old_value", .like, like)
            }
        }
        return try await query.orderBy("at", .descending).limit(limit).all().map(Self.decode)
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
