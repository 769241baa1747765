import Foundation

/// 重点工作督办 (SPEC §4.5): a yearly target of an office, broken into tasks and tasks into
/// steps to any depth. Every task has an owner unit with its two responsible people, a deadline
/// to the day and a weight; a leaf has a measure of done and receives progress reports.
public struct KeyTarget: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    /// The supervising office's region (who set the target, accepts reports, issues letters).
    public var regionCode: String
    public var year: Int
    public var title: String
    public var description: String
    public var createdBy: String
    public var createdAt: String

    public init(id: String, regionCode: String, year: Int, title: String, description: String = "", createdBy: String, createdAt: String) {
        self.id = id
        self.regionCode = regionCode
        self.year = year
        self.title = title
        self.description = description
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

/// How often an owner reports (a task without a report for longer is stalled).
public enum ReportCadence: String, Labelled {
    case weekly, monthly

    public var zh: String { self == .weekly ? "每周" : "每月" }
    public var en: String { self == .weekly ? "Weekly" : "Monthly" }
    public var aliases: [String] { self == .weekly ? ["周", "周报", "week"] : ["月", "月报", "month"] }

    /// The last day a report is due after one made on `day` (the same weekday a week later, or
    /// the same day of the next month, clamped to its length).
    public func nextDue(after day: String) -> String? {
        guard let ordinal = DateText.ordinal(day) else { return nil }
        switch self {
        case .weekly: return DateText.string(fromOrdinal: ordinal + 7)
        case .monthly:
            guard var y = Int(day.prefix(4)), var m = Int(day.dropFirst(5).prefix(2)), let d = Int(day.suffix(2)) else { return nil }
            m += 1
            if m == 13 { m = 1; y += 1 }
            let clamped = min(d, DateText.daysIn(month: m, year: y))
            return String(format: "%04d-%02d-%02d", y, m, clamped)
        }
    }
}

/// What Dudao can compute for a unit's region from its own data (a task measured by it needs
/// no one to type the value: Dudao records it as a report when asked to refresh).
public enum KeyMetric: String, Labelled {
    /// Classes of 56 or more pupils in the region, from the latest year's returns (大班额).
    case classes56Plus = "classes_56_plus"
    /// 办结率 of the region's rectification cases opened in the target's year, in percent.
    case rectificationClosingRate = "rectification_closing_rate"
    /// 按期办结率 of the same cases, in percent.
    case rectificationOnTimeRate = "rectification_on_time_rate"
    /// Projects of the register completed (or in use) in the target's year.
    case projectsCompleted = "projects_completed"
    /// School places added by those projects.
    case placesAdded = "places_added"

    public var zh: String {
        switch self {
        case .classes56Plus: "56人及以上大班额数"
        case .rectificationClosingRate: "整改办结率（%）"
        case .rectificationOnTimeRate: "整改按期办结率（%）"
        case .projectsCompleted: "竣工项目数"
        case .placesAdded: "项目新增学位数"
        }
    }

    public var en: String {
        switch self {
        case .classes56Plus: "classes of 56 or more"
        case .rectificationClosingRate: "rectification closing rate (%)"
        case .rectificationOnTimeRate: "rectification on-time closing rate (%)"
        case .projectsCompleted: "projects completed"
        case .placesAdded: "school places added by projects"
        }
    }

    public var aliases: [String] {
        switch self {
        case .classes56Plus: ["大班额", "56人以上班级数", "大班额数"]
        case .rectificationClosingRate: ["办结率", "整改办结率"]
        case .rectificationOnTimeRate: ["按期办结率", "整改按期办结率"]
        case .projectsCompleted: ["竣工项目", "完成项目数"]
        case .placesAdded: ["新增学位", "新增学位数"]
        }
    }

    /// The measure's unit as a report shows it.
    public var unit: String {
        switch self {
        case .classes56Plus: "个"
        case .rectificationClosingRate, .rectificationOnTimeRate: "%"
        case .projectsCompleted: "个"
        case .placesAdded: "个"
        }
    }
}

/// A leaf's measure of done.
public enum KeyTaskMeasure: Sendable, Hashable, Codable {
    /// Done or not (completion 0 or 1).
    case checkbox
    /// A number against a target from a baseline: completion = (value − baseline) ÷ (target −
    /// baseline), held to 0…1. With baseline 0 this is min(1, value ÷ target); a target below
    /// its baseline measures a reduction (120 large classes → 0).
    case number(target: Double, baseline: Double, unit: String)
    /// A number Dudao computes (`KeyMetric`), against a target from a baseline as above.
    case computed(metric: KeyMetric, target: Double, baseline: Double)

    public var target: Double? {
        switch self {
        case .checkbox: nil
        case .number(let t, _, _), .computed(_, let t, _): t
        }
    }

    public var baseline: Double {
        switch self {
        case .checkbox: 0
        case .number(_, let b, _), .computed(_, _, let b): b
        }
    }

    public var unit: String {
        switch self {
        case .checkbox: ""
        case .number(_, _, let u): u
        case .computed(let m, _, _): m.unit
        }
    }

    /// Completion (0…1) of a value (for a checkbox: 1 when done).
    public func completion(value: Double?, done: Bool?) -> Double {
        switch self {
        case .checkbox: return done == true ? 1 : 0
        case .number(let target, let baseline, _), .computed(_, let target, let baseline):
            let v = value ?? baseline
            // A target equal to its baseline is met when the value reaches it.
            guard target != baseline else { return target >= baseline ? (v >= target ? 1 : 0) : (v <= target ? 1 : 0) }
            return min(1, max(0, (v - baseline) / (target - baseline)))
        }
    }
}

/// A task or step. A task with children is measured by them; a leaf by its own measure.
public struct KeyTask: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var targetId: String
    public var parentId: String?
    /// The outline number as offices write it ("1", "1.2", "2.3.1"), unique in its target.
    public var number: String
    public var title: String
    /// The region of the owner unit (its office reports; a county's task is that county's).
    public var regionCode: String
    /// 责任单位.
    public var unit: String
    /// 第一责任人 (the unit head).
    public var firstResponsible: String
    /// 直接责任人 (the deputy in charge).
    public var directResponsible: String
    /// yyyy-MM-dd, inclusive.
    public var deadline: String
    /// Relative to its siblings; nil counts as 1 (SPEC §4.5, issue 12).
    public var weight: Double?
    /// nil on a task measured by its children.
    public var measure: KeyTaskMeasure?
    public var cadence: ReportCadence
    /// The order among siblings.
    public var position: Int
    public var createdAt: String

    public init(
        id: String, targetId: String, parentId: String? = nil, number: String, title: String, regionCode: String, unit: String,
        firstResponsible: String = "", directResponsible: String = "", deadline: String, weight: Double? = nil, measure: KeyTaskMeasure? = .checkbox,
        cadence: ReportCadence = .monthly, position: Int = 0, createdAt: String
    ) {
        self.id = id
        self.targetId = targetId
        self.parentId = parentId
        self.number = number
        self.title = title
        self.regionCode = regionCode
        self.unit = unit
        self.firstResponsible = firstResponsible
        self.directResponsible = directResponsible
        self.deadline = deadline
        self.weight = weight
        self.measure = measure
        self.cadence = cadence
        self.position = position
        self.createdAt = createdAt
    }

    /// The depth of an outline number: "2" is 1, "2.3" is 2.
    public static func depth(of number: String) -> Int { number.split(separator: ".").count }

    /// "1", "2.3", "10.1.4": whole numbers from 1, joined by dots, at most 8 levels.
    public static func isOutlineNumber(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return !parts.isEmpty && parts.count <= 8
            && parts.allSatisfy { p in !p.isEmpty && p.count <= 4 && p.allSatisfy(\.isASCII) && Int(p).map { $0 >= 1 } == true }
    }

    /// The parent's number ("2.3.1" → "2.3"; nil at the top).
    public static func parentNumber(of number: String) -> String? {
        let parts = number.split(separator: ".")
        return parts.count > 1 ? parts.dropLast().joined(separator: ".") : nil
    }
}

/// A task as an office writes it: its outline number places it (its parent is the number
/// without its last part, already in the target or earlier in the same batch).
public struct KeyTaskDraft: Sendable, Hashable {
    public var number: String
    public var title: String
    public var unit: String
    /// The owner unit's region (default: the target's).
    public var region: String?
    public var firstResponsible: String
    public var directResponsible: String
    public var deadline: String
    public var weight: Double?
    public var measure: KeyTaskMeasure
    public var cadence: ReportCadence
    /// The spreadsheet row it came from (for messages).
    public var row: Int?

    public init(
        number: String, title: String, unit: String, region: String? = nil, firstResponsible: String = "", directResponsible: String = "",
        deadline: String, weight: Double? = nil, measure: KeyTaskMeasure = .checkbox, cadence: ReportCadence = .monthly, row: Int? = nil
    ) {
        self.number = number
        self.title = title
        self.unit = unit
        self.region = region
        self.firstResponsible = firstResponsible
        self.directResponsible = directResponsible
        self.deadline = deadline
        self.weight = weight
        self.measure = measure
        self.cadence = cadence
        self.row = row
    }
}

/// Where a progress report stands: the supervising office accepts or returns it; only accepted
/// reports count.
public enum ReportStatus: String, Labelled {
    case submitted, accepted, returned

    public var zh: String {
        switch self {
        case .submitted: "待审核"
        case .accepted: "已采纳"
        case .returned: "已退回"
        }
    }

    public var en: String {
        switch self {
        case .submitted: "Awaiting review"
        case .accepted: "Accepted"
        case .returned: "Returned"
        }
    }
}

/// One progress report on a leaf task: the value (or done) as of a day, a narrative, evidence
/// (library documents linked to it), and the office's decision.
public struct ProgressReport: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var taskId: String
    /// The day the value holds for (yyyy-MM-dd).
    public var day: String
    public var value: Double?
    public var done: Bool?
    public var narrative: String
    public var status: ReportStatus
    public var reportedBy: String
    public var reportedAt: String
    public var reviewedBy: String?
    public var reviewedAt: String?
    public var reviewNote: String?

    public init(
        id: String, taskId: String, day: String, value: Double? = nil, done: Bool? = nil, narrative: String = "", status: ReportStatus = .submitted,
        reportedBy: String, reportedAt: String, reviewedBy: String? = nil, reviewedAt: String? = nil, reviewNote: String? = nil
    ) {
        self.id = id
        self.taskId = taskId
        self.day = day
        self.value = value
        self.done = done
        self.narrative = narrative
        self.status = status
        self.reportedBy = reportedBy
        self.reportedAt = reportedAt
        self.reviewedBy = reviewedBy
        self.reviewedAt = reviewedAt
        self.reviewNote = reviewNote
    }
}
