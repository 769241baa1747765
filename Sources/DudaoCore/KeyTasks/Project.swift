/// 建设项目台账 (issue 12): construction and expansion projects a county runs (new schools,
/// boarding facilities, extensions), with budget, stage and dates, and the school places they
/// add. Key tasks can count them (`KeyMetric.projectsCompleted`, `.placesAdded`).
public enum ProjectKind: String, Labelled {
    case newSchool = "new_school", expansion, boarding, renovation, other

    public var zh: String {
        switch self {
        case .newSchool: "新建学校"
        case .expansion: "改扩建"
        case .boarding: "寄宿设施"
        case .renovation: "维修改造"
        case .other: "其他"
        }
    }

    public var en: String {
        switch self {
        case .newSchool: "New school"
        case .expansion: "Extension"
        case .boarding: "Boarding facility"
        case .renovation: "Renovation"
        case .other: "Other"
        }
    }

    public var aliases: [String] {
        switch self {
        case .newSchool: ["新建", "新建校"]
        case .expansion: ["扩建", "改建"]
        case .boarding: ["寄宿制", "宿舍"]
        case .renovation: ["维修", "改造"]
        case .other: []
        }
    }
}

/// planned → started → completed → in use; a stage is never skipped back.
public enum ProjectStage: String, Labelled, Comparable {
    case planned, started, completed, inUse = "in_use"

    public var zh: String {
        switch self {
        case .planned: "未开工"
        case .started: "在建"
        case .completed: "已竣工"
        case .inUse: "已投用"
        }
    }

    public var en: String {
        switch self {
        case .planned: "Planned"
        case .started: "Under construction"
        case .completed: "Completed"
        case .inUse: "In use"
        }
    }

    public var aliases: [String] {
        switch self {
        case .planned: ["计划", "未开工", "规划"]
        case .started: ["开工", "在建", "已开工"]
        case .completed: ["竣工", "完工"]
        case .inUse: ["投用", "投入使用", "已投入使用"]
        }
    }

    var order: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: Self, b: Self) -> Bool { a.order < b.order }
}

public struct Project: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    /// The county it is in.
    public var regionCode: String
    public var name: String
    public var kind: ProjectKind
    /// The school it builds or extends (none for a school not yet coded).
    public var schoolCode: String?
    /// 万元.
    public var budget: Double
    public var placesAdded: Int
    public var stage: ProjectStage
    public var plannedStart: String
    public var plannedCompletion: String
    public var startedOn: String?
    public var completedOn: String?
    public var inUseOn: String?
    public var version: Int

    public init(
        id: String, regionCode: String, name: String, kind: ProjectKind, schoolCode: String? = nil, budget: Double, placesAdded: Int,
        stage: ProjectStage = .planned, plannedStart: String, plannedCompletion: String, startedOn: String? = nil, completedOn: String? = nil,
        inUseOn: String? = nil, version: Int = 1
    ) {
        self.id = id
        self.regionCode = regionCode
        self.name = name
        self.kind = kind
        self.schoolCode = schoolCode
        self.budget = budget
        self.placesAdded = placesAdded
        self.stage = stage
        self.plannedStart = plannedStart
        self.plannedCompletion = plannedCompletion
        self.startedOn = startedOn
        self.completedOn = completedOn
        self.inUseOn = inUseOn
        self.version = version
    }

    /// Not started although its planned start has passed.
    public func lateToStart(today: String) -> Bool { stage == .planned && plannedStart < today }
    /// Not completed although its planned completion has passed.
    public func lateToComplete(today: String) -> Bool { stage < .completed && plannedCompletion < today }

    /// Moves to `stage` on `day`: forward only, each date at or after the one before; the
    /// dates of stages passed over are that day as well (a project reported at once as
    /// completed was started by then).
    public func advanced(to stage: ProjectStage, on day: String) throws(FieldError) -> Project {
        guard stage > self.stage else {
            throw FieldError(
                field: "stage", code: "stage_order", zh: "项目阶段只能向前推进（当前：\(self.stage.zh)）",
                en: "a project only moves forward (now: \(self.stage.en))")
        }
        let last = [startedOn, completedOn, inUseOn].compactMap { $0 }.max() ?? ""
        guard day >= last else {
            throw FieldError(field: "day", code: "date_order", zh: "日期不能早于上一阶段（\(last)）", en: "the day cannot be before the last stage's (\(last))")
        }
        var p = self
        if stage >= .started && p.startedOn == nil { p.startedOn = day }
        if stage >= .completed && p.completedOn == nil { p.completedOn = day }
        if stage == .inUse { p.inUseOn = day }
        p.stage = stage
        return p
    }
}

/// A county's projects in one line: how many, not started when due to, not completed when
/// due to, places added by projects completed or in use.
public struct ProjectSummary: Sendable, Hashable {
    public var regionCode: String
    public var total: Int
    public var started: Int
    public var completed: Int
    public var lateToStart: Int
    public var lateToComplete: Int
    public var placesAdded: Int
    public var budget: Double

    public init(regionCode: String, projects: [Project], today: String) {
        self.regionCode = regionCode
        total = projects.count
        started = projects.filter { $0.stage >= .started }.count
        completed = projects.filter { $0.stage >= .completed }.count
        lateToStart = projects.filter { $0.lateToStart(today: today) }.count
        lateToComplete = projects.filter { $0.lateToComplete(today: today) }.count
        placesAdded = projects.filter { $0.stage >= .completed }.reduce(0) { $0 + $1.placesAdded }
        budget = projects.reduce(0) { $0 + $1.budget }
    }
}
