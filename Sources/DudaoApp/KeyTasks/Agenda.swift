import DudaoCore
import DudaoStore
import Foundation

/// 待办事项 (issue 12, part 7): what is due from the caller, as they see it on signing in and
/// in the daily digest. Offices: their region's key tasks due within the horizon or late,
/// progress reports to review, letters to answer, complaints to assign or due; inspectors:
/// rectification cases at their schools waiting for verification; principals: their school's
/// open cases.
public struct Agenda: Sendable {
    let services: Services

    public init(_ services: Services) { self.services = services }

    public enum Kind: String, Sendable, CaseIterable {
        case task, review, letter, complaint, verify, rectify

        public var zh: String {
            switch self {
            case .task: "重点任务"
            case .review: "待审核报送"
            case .letter: "待回复函件"
            case .complaint: "投诉办理"
            case .verify: "待复核整改"
            case .rectify: "待整改事项"
            }
        }

        public var en: String {
            switch self {
            case .task: "Key task"
            case .review: "Report to review"
            case .letter: "Letter to answer"
            case .complaint: "Complaint"
            case .verify: "Case to verify"
            case .rectify: "Case to rectify"
            }
        }
    }

    public struct Item: Sendable, Hashable {
        public var kind: Kind
        public var title: String
        public var href: String
        /// yyyy-MM-dd, when it has a deadline.
        public var due: String?
        public var overdue: Bool
        /// Days late (positive) or left (negative), from the due day.
        public var days: Int?
    }

    /// Items due within `horizon` days or late, overdue first, then by due day.
    public func items(for actor: Identity, horizon: Int = 14) async throws -> [Item] {
        let today = services.clock.moment.today
        let until = DateText.string(fromOrdinal: (DateText.ordinal(today) ?? 0) + horizon)
        var items: [Item] = []
        func item(_ kind: Kind, _ title: String, _ href: String, due: String?) -> Item {
            let days = due.flatMap { DateText.days(from: $0, to: today) }
            return Item(kind: kind, title: title, href: href, due: due, overdue: (days ?? 0) > 0, days: days)
        }
        let db = services.reads
        if actor.isOfficeStaff {
            let region = actor.regionCode
            let keyTasks = KeyTasks(services)
            let leaves = try await KeyTaskRepository(db).leaves(ownedUnder: region, dueBy: until)
            let targets = Set(leaves.map(\.targetId))
            for targetId in targets.sorted() {
                let p = try await keyTasks.progress(targetId, asOf: today, for: actor)
                for s in p.leaves where s.completion < 1 && s.task.deadline <= until && RegionCode.contains(region, s.task.regionCode) {
                    items.append(item(.task, "\(s.task.number) \(s.task.title)（\(s.task.unit)）", "/key-tasks/\(s.task.id)", due: s.task.deadline))
                }
            }
            for (_, task, _) in try await keyTasks.awaitingReview(under: region, for: actor) {
                items.append(item(.review, "\(task.number) \(task.title)（\(task.unit)）", "/key-tasks/\(task.id)", due: nil))
            }
            for l in try await EscalationRepository(db).letters(touching: region) where l.reply == nil && RegionCode.contains(region, l.unitRegion) {
                items.append(item(.letter, "\(l.number) \(l.title)", "/letters/\(l.id)", due: l.replyDue))
            }
            for c in try await ComplaintRepository(db).list(under: region) where !c.state.isClosed {
                if c.state == .received {
                    items.append(item(.complaint, "\(c.number) \(c.content.prefix(30))", "/complaints/\(c.id)", due: c.receivedOn))
                } else if let deadline = c.deadline, deadline <= until {
                    items.append(item(.complaint, "\(c.number) \(c.content.prefix(30))", "/complaints/\(c.id)", due: deadline))
                }
            }
        } else if actor.role == .inspector, let inspector = try await InspectorRepository(db).find(username: actor.username) {
            let mine = Set(try await InspectorRepository(db).schools(of: inspector.id))
            for c in try await RectificationRepository(db).list(under: actor.regionCode, state: .evidenceSubmitted) where mine.contains(c.schoolCode)
            {
                items.append(item(.verify, "\(c.description)", "/regions/\(c.countyCode)/supervision", due: nil))
            }
        } else if actor.role == .principal, let school = actor.schoolCode {
            for c in try await RectificationRepository(db).list(under: actor.regionCode, school: school)
            where c.state != .closed && c.state != .evidenceSubmitted {
                items.append(item(.rectify, "\(c.description)", "/schools/\(school)", due: c.deadline))
            }
        }
        return items.sorted { a, b in
            if a.overdue != b.overdue { return a.overdue }
            return (a.due ?? "9999", a.kind.rawValue, a.title) < (b.due ?? "9999", b.kind.rawValue, b.title)
        }
    }
}
